import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDefinitionsOrThrow } from '../../engine/loader/index.js';
import { createEngine, JsonataInterpreter, type Engine } from '../../engine/index.js';
import { AccountContexts } from '../../engine/runtime/account-context.js';
import { DeadlineTimer } from '../../engine/runtime/deadline.js';
import { cannedDispatcher } from '../bench/canned-dispatcher.js';
import { oktaUsers } from '../bench/okta-samples.js';
import { failure } from '../support/failure.js';
import { integrationsDir, schemasDir } from '../support/paths.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('call deadlines on one shared timer', () => {
  it('aborts a call at its deadline with a TimeoutError, as AbortSignal.timeout does', async () => {
    const timer = new DeadlineTimer();
    const call = timer.start(20);
    const seen: unknown[] = [];
    call.addEventListener('abort', () => seen.push(call.reason));
    expect(call.aborted).toBe(false);
    await sleep(60);
    expect(call.aborted).toBe(true);
    expect((call.reason as DOMException).name).toBe('TimeoutError');
    expect(seen).toEqual([call.reason]);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(call.reason);
    expect(timer.pending).toBe(0);
  });

  it('forgets a released call: it is never aborted', async () => {
    const timer = new DeadlineTimer();
    const calls = Array.from({ length: 5 }, (_, i) => timer.start(10 + i));
    const lasting = timer.start(10_000);
    calls.forEach((c, i) => i % 2 === 0 && c.release());
    calls[0].release();
    expect(timer.pending).toBe(3);
    await sleep(60);
    expect(calls.map((c) => c.aborted)).toEqual([false, true, false, true, false]);
    expect(lasting.aborted).toBe(false);
    lasting.release();
    expect(timer.pending).toBe(0);
  });

  it('expires deadlines of different lengths in order, whatever order they were set in', async () => {
    const timer = new DeadlineTimer();
    const order: number[] = [];
    for (const ms of [50, 10, 30, 10, 0]) {
      const c = timer.start(ms);
      c.addEventListener('abort', () => order.push(ms));
    }
    await sleep(100);
    expect(order).toEqual([0, 10, 10, 30, 50]);
  });

  it("follows the caller's signal, and stops listening to it once released", async () => {
    const timer = new DeadlineTimer();
    const outer = new AbortController();
    const call = timer.start(10_000, outer.signal);
    const signal = call.signal;
    outer.abort(new Error('client went away'));
    expect(call.aborted).toBe(true);
    expect((call.reason as Error).message).toBe('client went away');
    expect(signal.aborted).toBe(true);
    expect(timer.pending).toBe(0);

    const already = timer.start(10_000, outer.signal);
    expect(already.aborted).toBe(true);

    const other = new AbortController();
    const released = timer.start(10_000, other.signal);
    released.release();
    other.abort();
    expect(released.aborted).toBe(false);
  });

  it('a call past its deadline fails as a remote timeout, through undici', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://acme.okta.com').intercept({ path: /.*/, method: 'GET' }).reply(200, {}).delay(500);
    const engine = await createEngine({ dispatcher: agent, only: ['okta'], callTimeoutMs: 50 });
    const err = await failure(engine.execute({ account: { integration: 'okta', context: { domain: 'acme.okta.com' }, credentials: { api_token: 't' } }, model: 'user-directory', resource: 'users', method: 'get', query: { id: 'u1' } }));
    expect(err.kind).toBe('remote_timeout');
    await agent.close();
  });
});

describe('account contexts, resolved once per distinct context', () => {
  let okta: Awaited<ReturnType<typeof loadDefinitionsOrThrow>>;
  beforeEach(async () => {
    okta ??= await loadDefinitionsOrThrow({ integrationsDir, schemasDir, compiler: new JsonataInterpreter(), only: ['okta'] });
  });

  it('gives the same frozen context and base URL for equal contexts, and never changes the caller’s object', () => {
    const contexts = new AccountContexts();
    const integration = okta.integrations.get('okta')!;
    const mine = { domain: 'acme.okta.com' };
    const a = contexts.resolve(integration, mine);
    const b = contexts.resolve(integration, { domain: 'acme.okta.com' });
    expect(b).toBe(a);
    expect(a.baseUrl).toEqual({ origin: 'https://acme.okta.com', path: '' });
    expect(Object.isFrozen(a.context)).toBe(true);
    expect(a.context).not.toBe(mine);
    expect(Object.isFrozen(mine)).toBe(false);
  });

  it('checks a context again when the caller changed it', () => {
    const contexts = new AccountContexts();
    const integration = okta.integrations.get('okta')!;
    const context: Record<string, unknown> = { domain: 'acme.okta.com' };
    expect(contexts.resolve(integration, context).baseUrl.origin).toBe('https://acme.okta.com');
    context.domain = 'other.okta.com:8443';
    expect(contexts.resolve(integration, context).baseUrl.origin).toBe('https://other.okta.com:8443');
    context.domain = 'evil.com/path';
    expect(() => contexts.resolve(integration, context)).toThrow(/context/);
    // An invalid context is not remembered: it fails every time.
    expect(() => contexts.resolve(integration, context)).toThrow(/context/);
  });

  it('does not remember a context holding anything but JSON', () => {
    const contexts = new AccountContexts();
    const integration = okta.integrations.get('okta')!;
    const withUndefined = { domain: 'acme.okta.com', extra: undefined };
    // additionalProperties: false sees `extra` even though JSON would not.
    expect(() => contexts.resolve(integration, withUndefined)).toThrow(/context/);
    expect(contexts.resolve(integration, { domain: 'acme.okta.com' }).baseUrl.origin).toBe('https://acme.okta.com');
    expect(() => contexts.resolve(integration, withUndefined)).toThrow(/context/);
  });

  it('knows a deep-frozen context again by identity (the store hands out one per account), and only such a one', () => {
    const contexts = new AccountContexts();
    const integration = okta.integrations.get('okta')!;
    const frozen = Object.freeze({ domain: 'acme.okta.com' });
    const first = contexts.resolve(integration, frozen);
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      expect(contexts.resolve(integration, frozen)).toBe(first);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    // Frozen, but a getter can answer differently every time: never known by identity.
    let turned = false;
    const shifty = Object.freeze({
      get domain() {
        return turned ? 'evil.com/path' : 'acme.okta.com';
      },
    });
    expect(contexts.resolve(integration, shifty).baseUrl.origin).toBe('https://acme.okta.com');
    turned = true;
    expect(() => contexts.resolve(integration, shifty)).toThrow(/context/);
  });

  it('stays bounded', () => {
    const contexts = new AccountContexts(3);
    const integration = okta.integrations.get('okta')!;
    const first = contexts.resolve(integration, { domain: 'a0.okta.com' });
    for (let i = 1; i < 10; i++) contexts.resolve(integration, { domain: `a${i}.okta.com` });
    expect(contexts.resolve(integration, { domain: 'a0.okta.com' })).not.toBe(first);
  });
});

describe('remote_data is the parsed remote body', () => {
  const users = oktaUsers(3, 'list');
  const one = oktaUsers(1, 'full')[0];
  const account = { id: 'a', integration: 'okta', context: { domain: 'acme.okta.com' }, credentials: { api_token: 't' } };
  let engines: Engine[] = [];
  afterEach(async () => {
    for (const e of engines) await e.close();
    engines = [];
  });

  for (const [name, compiler] of [
    ['compiled', undefined],
    ['interpreted', new JsonataInterpreter()],
  ] as const) {
    it(`${name}: exactly what the provider sent, for one object and for every item of a list`, async () => {
      const engine = await createEngine({ only: ['okta'], compiler, dispatcher: cannedDispatcher((p) => ({ status: 200, body: p.startsWith('/api/v1/users?') ? users : one })) });
      engines.push(engine);
      const got = (await engine.execute({ account, model: 'user-directory', resource: 'users', method: 'get', query: { id: 'x' } })).body as Record<string, unknown>;
      expect(got.remote_data).toEqual(JSON.parse(JSON.stringify(one)));
      const list = (await engine.execute({ account, model: 'user-directory', resource: 'users', method: 'list', query: {} })).body as { result: Record<string, unknown>[] };
      expect(list.result.map((r) => r.remote_data)).toEqual(JSON.parse(JSON.stringify(users)));
      // The mapped fields are not the remote objects themselves.
      expect(list.result[0]).not.toBe(list.result[0].remote_data);
    });
  }
});
