import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_GROUP_IDS, SEED_USER_IDS, startStack, q, type Stack } from '../server/helpers.js';

/**
 * Issue 5: remote answers that break expectations become clear 502s (never a crash or a hang), rate
 * limits are waited out only within bounds, and the server keeps serving meanwhile.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    limits: { callTimeoutMs: 1_500 },
    engine: { transportLimits: { headersTimeoutMs: 400, bodyTimeoutMs: 400, maxResponseBytes: 256 * 1024 }, maxRetryWaitMs: 2_000 },
  });
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.okta.clearFaults());

const group = SEED_GROUP_IDS.sales;
const getGroup = (account = stack.account.id) => stack.call('GET', `/unified/user-directory/groups/${group}`, { query: q(account) });
const GROUP_PATH = `/api/v1/groups/${group}`;

describe('malformed remote answers', () => {
  it('truncated JSON with a complete HTTP message → 502 naming the problem', async () => {
    stack.okta.inject({ kind: 'truncatedJson', match: { path: GROUP_PATH }, times: 3 });
    const res = await getGroup();
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ statusCode: 502, error: 'Bad Gateway', remote_error: true, remote_status: 200 });
    expect(res.json.message).toMatch(/not valid JSON/);
  });

  it('a connection cut mid-body → 502 after the retries, not a hang', async () => {
    stack.okta.inject({ kind: 'truncatedJson', mode: 'connection', match: { path: GROUP_PATH }, times: 3 });
    const res = await getGroup();
    expect(res.status).toBe(502);
    expect(res.json.kind).toBe('remote_error');
  });

  it('a connection reset → retried (GET is idempotent), then the real answer', async () => {
    stack.okta.inject({ kind: 'reset', match: { path: GROUP_PATH } });
    const res = await getGroup();
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(group);
    expect(stack.logs.some((l) => l.includes('retrying remote request') && l.includes('network'))).toBe(true);
  });

  it('a body beyond the response limit → 502, never buffered whole', async () => {
    stack.okta.inject({ kind: 'largeBody', megabytes: 2, chunked: true, match: { path: '/api/v1/groups' } });
    const res = await stack.call('GET', '/unified/user-directory/groups', { query: q(stack.account.id) });
    expect(res.status).toBe(502);
    expect(res.json.message).toMatch(/larger than 262144 bytes/);
  });

  it('an HTML error page with 503 → 502 keeping the remote status', async () => {
    stack.okta.inject({ kind: 'html', status: 503, match: { path: GROUP_PATH }, times: 3 });
    const res = await getGroup();
    expect(res.status).toBe(502);
    expect(res.json.remote_status).toBe(503);
  });
});

describe('hangs and deadlines', () => {
  it('a hung remote → 504 within the deadline, while other calls are served', async () => {
    stack.okta.inject({ kind: 'hang', match: { path: GROUP_PATH }, times: 5 });
    const started = Date.now();
    const hung = getGroup();
    // Meanwhile the server answers other work at once.
    const other = await stack.call('GET', `/unified/user-directory/users/${SEED_USER_IDS.jane}`, { query: q(stack.account.id) });
    expect(other.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(400);
    const res = await hung;
    expect(res.status).toBe(504);
    expect(res.json.kind).toBe('remote_timeout');
    expect(Date.now() - started).toBeLessThan(1_500 + 500);
  });
});

describe('rate limits', () => {
  it('a reset beyond the longest allowed wait answers 429 at once, with the provider limits', async () => {
    const account = stack.newAccount();
    stack.okta.inject({ kind: 'rateLimit', resetInSeconds: 60, match: { path: GROUP_PATH } });
    const started = Date.now();
    const res = await getGroup(account.id);
    expect(Date.now() - started).toBeLessThan(500);
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ kind: 'rate_limited', remote_status: 429, remote_code: 'E0000047' });
    expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(55);
    expect(res.headers['ratelimit-remaining']).toBe('0');
    // The window is known to be exhausted: the next call for this account is refused without a request.
    const before = stack.okta.requests.length;
    const again = await getGroup(account.id);
    expect(again.status).toBe(429);
    expect(stack.okta.requests.length).toBe(before);
    // Another account of the same provider is not held back.
    expect((await getGroup()).status).toBe(200);
  });

  it('a short reset is waited out and the call succeeds', async () => {
    const account = stack.newAccount();
    stack.okta.inject({ kind: 'rateLimit', resetInSeconds: 1, match: { path: GROUP_PATH } });
    const res = await getGroup(account.id);
    expect(res.status).toBe(200);
    expect(stack.logs.some((l) => l.includes('rate limited (429)'))).toBe(true);
  });
});
