import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADD, q, SEED_GROUP_IDS, startStack, waitFor, type Stack } from './helpers.js';

describe('concurrency', () => {
  let s: Stack;
  beforeEach(async () => {
    s = await startStack();
  });
  afterEach(async () => {
    await s.close();
  });

  it('50 parallel adds all succeed, each with its own group, and the fake ends in the consistent state', async () => {
    const users = Array.from({ length: 50 }, (_, i) => s.okta.state.addUser({ profile: { login: `load${i}@example.com`, firstName: 'Load', lastName: String(i), email: `load${i}@example.com` } }));
    const groups = [SEED_GROUP_IDS.contractors, SEED_GROUP_IDS.sales, SEED_GROUP_IDS.engineering];
    const replies = await Promise.all(
      users.map((u, i) => s.call('POST', ADD, { query: q(s.account.id), body: { group_id: groups[i % 3], user_id: u.id } })),
    );
    replies.forEach((r, i) => {
      expect(r.status, r.text).toBe(200);
      expect(r.json.id).toBe(groups[i % 3]);
    });
    users.forEach((u, i) => expect(s.okta.state.isMember(groups[i % 3], u.id)).toBe(true));
    expect(new Set(replies.map((r) => r.headers['x-request-id'])).size).toBe(50);
    const puts = s.okta.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(50);
    expect(s.logs.filter((l) => l.includes('"msg":"request"'))).toHaveLength(50);
  });

  it('a client that goes away cancels its remote call (logged as 499), and the server carries on', async () => {
    s.okta.inject({ kind: 'hang', match: { method: 'PUT' } });
    const controller = new AbortController();
    const pending = fetch(`${s.url}${ADD}?${q(s.account.id)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ group_id: SEED_GROUP_IDS.sales, user_id: 'someone' }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    await waitFor(() => s.server.inFlight === 1 && s.okta.requests.some((r) => r.method === 'PUT'), 'the call to hang at the fake');
    controller.abort();
    expect(await pending).toBe('aborted');
    await waitFor(() => s.server.inFlight === 0, 'the call to be cancelled');
    const record = s.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.msg === 'request' && r.status === 499);
    expect(record).toMatchObject({ route: ADD, client_closed: true });
    expect((await s.call('GET', '/health')).status).toBe(200);
  });
});

/** A raw connection: write whenever, read everything until the server closes it. */
function rawSocket(port: number): { write(text: string): void; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d) => (text += d.toString()));
  socket.on('error', () => undefined);
  return { write: (t) => socket.write(t), closed: new Promise((resolve) => socket.on('close', () => resolve(text))) };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown', () => {
  let s: Stack;
  beforeEach(async () => {
    s = await startStack({ limits: { shutdownTimeoutMs: 3_000 } });
  });
  afterEach(async () => {
    await s.close();
  });

  const request = (s: Stack, groupId: string, userId: string, connection = 'keep-alive') => {
    const json = JSON.stringify({ group_id: groupId, user_id: userId });
    return `POST ${ADD}?${q(s.account.id)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.key}\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nConnection: ${connection}\r\n\r\n${json}`;
  };

  it('lets an in-flight call finish, refuses a request that arrives meanwhile with 503 + Connection: close, stops listening', async () => {
    const port = Number(new URL(s.url).port);
    const user = s.okta.state.addUser({ profile: { login: 'inflight@example.com' } });
    // Long enough for the late request below to arrive while this call is still running.
    s.okta.inject({ kind: 'delay', ms: 1_000, match: { method: 'PUT' } });
    const inflight = rawSocket(port);
    inflight.write(request(s, SEED_GROUP_IDS.contractors, user.id));
    // A second client is half-way through its headers when the shutdown starts.
    const late = rawSocket(port);
    const lateRequest = request(s, SEED_GROUP_IDS.sales, user.id);
    late.write(lateRequest.slice(0, 40));
    await waitFor(() => s.okta.requests.some((r) => r.method === 'PUT'), 'the in-flight PUT to reach the fake');
    expect(s.server.inFlight).toBe(1);

    const closing = s.server.close();
    await pause(50);
    late.write(lateRequest.slice(40));
    // New connections are refused from the start of the shutdown.
    await expect(fetch(`${s.url}/health`)).rejects.toThrow();
    await closing;

    const first = await inflight.closed;
    expect(first).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(first.toLowerCase()).toContain('connection: close');
    expect(first).toContain(`"id":"${SEED_GROUP_IDS.contractors}"`);
    expect(s.okta.state.isMember(SEED_GROUP_IDS.contractors, user.id)).toBe(true);

    const refused = await late.closed;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused.toLowerCase()).toContain('connection: close');
    expect(refused).toContain('"statusCode":503');
    expect(s.okta.state.isMember(SEED_GROUP_IDS.sales, user.id)).toBe(false);
  });

  it('cancels calls still running at the shutdown timeout, then closes', async () => {
    const { server, url } = await s.serverWith({ shutdownTimeoutMs: 200 });
    s.okta.inject({ kind: 'hang', match: { method: 'PUT' } });
    const pending = fetch(`${url}${ADD}?${q(s.account.id)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ group_id: SEED_GROUP_IDS.sales, user_id: 'x' }),
    }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
      () => ({ status: 0, body: {} }),
    );
    await waitFor(() => server.inFlight === 1 && s.okta.requests.some((r) => r.method === 'PUT'), 'the call to hang at the fake');
    const started = Date.now();
    await server.close();
    // 200 ms of grace, then cancelled: far below the default 10 s.
    expect(Date.now() - started).toBeLessThan(4_000);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(server.inFlight).toBe(0);
  });
});
