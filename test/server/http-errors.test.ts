import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADD, q, SEED_GROUP_IDS, SEED_USER_IDS, startStack, type Stack } from './helpers.js';

const body = { group_id: SEED_GROUP_IDS.sales, user_id: SEED_USER_IDS.jane };
const UNKNOWN_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** Sends raw bytes on a fresh connection and returns everything the server writes until it closes. */
function rawExchange(port: number, chunks: (string | Buffer)[], options: { gapMs?: number; timeoutMs?: number } = {}): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${options.timeoutMs ?? 5000} ms; got: ${text.slice(0, 200)}`));
    }, options.timeoutMs ?? 5000);
    socket.on('close', () => clearTimeout(timer));
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (socket.destroyed) return;
        socket.write(c);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
    });
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('HTTP errors: one envelope, the right status', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ limits: { maxBodyBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await s.close();
  });

  const envelope = (status: number, error: string) => ({ statusCode: status, error, message: expect.any(String), kind: expect.any(String) });

  describe('integrated_account_id', () => {
    it('missing → 400', async () => {
      const res = await s.call('POST', ADD, { body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject(envelope(400, 'Bad Request'));
      expect(res.json.details).toEqual([{ path: 'query.integrated_account_id', message: 'is required' }]);
    });

    it.each(['not-a-uuid', '123', `${UNKNOWN_ID}x`, `${UNKNOWN_ID}&integrated_account_id=${UNKNOWN_ID}`])('%s → 400', async (value) => {
      const res = await s.call('POST', ADD, { query: `integrated_account_id=${value}`, body });
      expect(res.status).toBe(400);
      expect(res.json.details).toEqual([{ path: 'query.integrated_account_id', message: 'must be a UUID' }]);
    });

    it('unknown and foreign (another environment) → 404 with identical bodies', async () => {
      const unknown = await s.call('POST', ADD, { query: q(UNKNOWN_ID), body });
      const foreign = await s.call('POST', ADD, { query: q(s.stagingAccount.id), body });
      expect(unknown.status).toBe(404);
      expect(foreign.status).toBe(404);
      expect(foreign.text).toBe(unknown.text);
      expect(unknown.json).toEqual({ statusCode: 404, error: 'Not Found', kind: 'not_found', message: 'No integrated account with this id is available to this API key' });
    });
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null, undefined, 'Bearer realm="unimap"'],
      ['a wrong key', 'umk_' + 'A'.repeat(43), undefined, 'Bearer realm="unimap", error="invalid_token"'],
      ['a malformed key', 'nope', undefined, 'Bearer realm="unimap", error="invalid_token"'],
      ['another scheme', null, 'Basic dXNlcjpwYXNz', 'Bearer realm="unimap"'],
    ])('%s → 401 with WWW-Authenticate', async (_name, key, header, challenge) => {
      const res = await s.call('POST', ADD, { query: q(s.account.id), body, key, headers: header ? { authorization: header } : {} });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(challenge);
      expect(res.json).toMatchObject(envelope(401, 'Unauthorized'));
    });

    it('a revoked key → 401', async () => {
      const created = s.store.createApiKey();
      expect((await s.call('POST', ADD, { query: q(s.account.id), body, key: created.key })).status).toBe(200);
      s.store.revokeApiKey(created.id);
      expect((await s.call('POST', ADD, { query: q(s.account.id), body, key: created.key })).status).toBe(401);
    });
  });

  describe('routing', () => {
    it('an unknown route → 404 envelope', async () => {
      for (const path of ['/', '/unified', '/unified/user-directory/nothing', '/unified/nope/groups/add', '/unified/user-directory//add']) {
        const res = await s.call('POST', path, { body });
        expect(res.status, path).toBe(404);
        expect(res.json).toMatchObject(envelope(404, 'Not Found'));
      }
    });

    it('a wrong method on a known route → 405 with Allow', async () => {
      const put = await s.call('PUT', ADD, { query: q(s.account.id), body });
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('DELETE, GET, PATCH, POST');
      expect(put.json).toMatchObject(envelope(405, 'Method Not Allowed'));
      const health = await s.call('POST', '/health', { body });
      expect(health.status).toBe(405);
      expect(health.headers.allow).toBe('GET');
      const list = await s.call('PUT', '/unified/user-directory/groups');
      expect(list.headers.allow).toBe('GET, POST');
    });

    it('a trailing slash is the same route', async () => {
      const res = await s.call('POST', `${ADD}/`, { query: q(s.account.id), body });
      expect(res.status).toBe(200);
    });

    it('a path that is not valid percent-encoding → 400', async () => {
      const res = await s.call('GET', '/unified/user-directory/groups/%E0%A4%A', { query: q(s.account.id) });
      expect(res.status).toBe(400);
    });
  });

  describe('request bodies', () => {
    it('not JSON → 400, without echoing the body', async () => {
      const res = await s.call('POST', ADD, { query: q(s.account.id), raw: '{"group_id": "tok-in-body', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(/^The request body is not valid JSON/);
      expect(res.text).not.toContain('tok-in-body');
    });

    it('a JSON value that is not an object → 400', async () => {
      const res = await s.call('POST', ADD, { query: q(s.account.id), raw: '[1,2]', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
    });

    it('invalid UTF-8 → 400', async () => {
      const res = await s.call('POST', ADD, { query: q(s.account.id), raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.json.message).toBe('The request body is not valid UTF-8');
    });

    it('a __proto__ key → 400, and nothing is polluted', async () => {
      const res = await s.call('POST', ADD, { query: q(s.account.id), raw: '{"group_id":"x","user_id":"y","__proto__":{"polluted":true}}', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['form data', 'application/x-www-form-urlencoded'],
      ['JSON in another charset', 'application/json; charset=latin1'],
    ])('%s → 415', async (_name, type) => {
      const res = await s.call('POST', ADD, { query: q(s.account.id), raw: JSON.stringify(body), headers: { 'content-type': type } });
      expect(res.status).toBe(415);
      expect(res.json).toMatchObject(envelope(415, 'Unsupported Media Type'));
    });

    it('no Content-Type on a body → 415; application/merge-patch+json and charset=utf-8 are fine', async () => {
      expect((await s.call('POST', ADD, { query: q(s.account.id), raw: JSON.stringify(body) })).status).toBe(415);
      expect((await s.call('POST', ADD, { query: q(s.account.id), raw: JSON.stringify(body), headers: { 'content-type': 'application/merge-patch+json' } })).status).toBe(200);
      expect((await s.call('POST', ADD, { query: q(s.account.id), raw: JSON.stringify(body), headers: { 'content-type': 'Application/JSON; Charset="UTF-8"' } })).status).toBe(200);
    });

    it('a declared Content-Length over the limit → 413 at once, without reading the body', async () => {
      const big = Buffer.alloc(64 * 1024 + 1, 0x20);
      const res = await s.call('POST', ADD, { query: q(s.account.id), raw: big, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(413);
      expect(res.json).toMatchObject(envelope(413, 'Payload Too Large'));
      expect(res.headers.connection).toBe('close');
    });

    it('a chunked body that grows past the limit → 413 as soon as it crosses it', async () => {
      const port = portOf(s.url);
      const head = `POST ${ADD}?${q(s.account.id)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const chunk = `${(16 * 1024).toString(16)}\r\n${' '.repeat(16 * 1024)}\r\n`;
      // Far more than the limit is offered; the server answers after about 64 KiB and closes.
      const { text } = await rawExchange(port, [head, ...Array.from({ length: 64 }, () => chunk)], { gapMs: 2 });
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text.toLowerCase()).toContain('connection: close');
      expect(text).toContain('"statusCode":413');
    });

    it('the body limit is configurable (UNIMAP_MAX_BODY_BYTES → limits.maxBodyBytes)', async () => {
      const { url } = await s.serverWith({ maxBodyBytes: 16 });
      const res = await fetch(`${url}${ADD}?${q(s.account.id)}`, { method: 'POST', headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { message: string }).message).toBe('The request body is larger than 16 bytes');
    });

    it('Expect: 100-continue: a refused request never gets "100 Continue", an accepted one does', async () => {
      const port = portOf(s.url);
      const refused = await rawExchange(port, [`POST ${ADD}?${q(s.account.id)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`]);
      expect(refused.text).toMatch(/^HTTP\/1\.1 401 /);
      const tooBig = await rawExchange(port, [`POST ${ADD}?${q(s.account.id)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.key}\r\nContent-Type: application/json\r\nContent-Length: 9999999\r\nExpect: 100-continue\r\n\r\n`]);
      expect(tooBig.text).toMatch(/^HTTP\/1\.1 413 /);
      const json = JSON.stringify(body);
      const accepted = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        socket.on('data', (d) => {
          text += d.toString();
          if (text.startsWith('HTTP/1.1 100 Continue\r\n\r\n') && !text.includes('200 OK')) socket.write(json);
        });
        socket.on('close', () => resolve(text));
        socket.write(`POST ${ADD}?${q(s.account.id)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.key}\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`);
      });
      expect(accepted).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    });
  });

  it('an expectation other than 100-continue → 417 envelope', async () => {
    const { text } = await rawExchange(portOf(s.url), [`POST ${ADD}?${q(s.account.id)} HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nContent-Length: 2\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{}`]);
    expect(text).toMatch(/^HTTP\/1\.1 417 /);
    expect(text).toMatch(/x-request-id: \S+/);
    expect(text).toContain('"message":"Only \\"Expect: 100-continue\\" is supported"');
  });

  describe('query strings', () => {
    it('__proto__ / constructor keys cannot pollute anything and are not passed on', async () => {
      const before = s.okta.requests.length;
      const res = await s.call('POST', ADD, {
        query: q(s.account.id, '__proto__[polluted]=1&constructor[prototype][polluted]=1&remote_query[__proto__][polluted]=1&remote_query[ok]=1&hasOwnProperty=1'),
        body,
      });
      expect(res.status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      const put = s.okta.requests.slice(before).find((r) => r.method === 'PUT');
      expect(put?.url).not.toMatch(/polluted|proto|constructor/);
    });

    it('too many parameters, too deep nesting or too long a list → 400', async () => {
      const many = Array.from({ length: 250 }, (_, i) => `p${i}=1`).join('&');
      const deep = 'remote_query[a][b][c][d][e][f]=1';
      const long = Array.from({ length: 150 }, () => 'truto_exclude_fields[]=id').join('&');
      for (const extra of [many, deep, long]) {
        const res = await s.call('POST', ADD, { query: q(s.account.id, extra), body });
        expect(res.status).toBe(400);
        expect(res.json.message).toMatch(/^The query string cannot be read/);
      }
    });
  });

  describe('slow clients', () => {
    it('headers that never finish: 408 and the connection is closed (slowloris)', async () => {
      const { url } = await s.serverWith({ headersTimeoutMs: 300 });
      const { text, closedAfterMs } = await rawExchange(portOf(url), [`POST ${ADD} HTTP/1.1\r\nHost: x\r\n`, 'X-Slow: 1\r\n'], { gapMs: 50, timeoutMs: 8000 });
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(text).toMatch(/x-request-id: \S+/);
      expect(closedAfterMs).toBeLessThan(5000);
    });

    it('a body that stops arriving: 408 and the connection is closed', async () => {
      const { url } = await s.serverWith({ bodyTimeoutMs: 300 });
      const head = `POST ${ADD}?${q(s.account.id)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"group_id":`;
      const { text, closedAfterMs } = await rawExchange(portOf(url), [head], { timeoutMs: 8000 });
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(text).toContain('"statusCode":408');
      expect(closedAfterMs).toBeLessThan(5000);
    });

    it('garbage instead of HTTP: a 400 envelope with x-request-id', async () => {
      const { text } = await rawExchange(portOf(s.url), ['NOT HTTP AT ALL\r\n\r\n']);
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(text).toMatch(/x-request-id: \S+/);
      expect(text).toContain('"statusCode":400');
    });
  });

  it('errors answered before a small body is read keep the connection; a large unread one closes it', async () => {
    expect((await s.call('GET', '/nowhere')).headers.connection).toBe('keep-alive');
    expect((await s.call('POST', ADD, { key: null, body })).headers.connection).toBe('keep-alive');
    const big = await s.call('POST', ADD, { key: null, raw: Buffer.alloc(200 * 1024, 0x20), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(401);
    expect(big.headers.connection).toBe('close');
  });

  it('every answer carries x-request-id', async () => {
    const replies = await Promise.all([
      s.call('GET', '/nowhere'),
      s.call('PUT', ADD),
      s.call('POST', ADD, { key: null }),
      s.call('POST', ADD, { body }),
      s.call('GET', '/health'),
    ]);
    for (const r of replies) expect(r.headers['x-request-id']).toBeTruthy();
  });
});
