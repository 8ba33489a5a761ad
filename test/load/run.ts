/**
 * `npm run load`: the server under sustained concurrent calls against the fake Okta on loopback,
 * with faults injected (≈10% rate limits, ≈5% server errors, a few hangs). Checks that every call
 * ends with the right answer or the right error, that no membership is lost or doubled, that memory
 * stays flat over a bounded soak, and that a graceful shutdown under load loses no in-flight call.
 *
 * Not part of `npm test`. Bounded: LOAD_SECONDS (default 20) and LOAD_CONCURRENCY (default 24).
 */
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { createEngine } from '../../engine/index.js';
import { createServer } from '../../engine/server/index.js';
import { openStore } from '../../engine/store/index.js';
import { startFakeOkta } from '../fakes/okta/index.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 24);
const GROUPS = 40;
const USERS = 60;
const TOKEN = 'load-test-okta-token';

type Outcome = 'ok' | 'rate_limited' | 'bad_gateway' | 'timeout' | 'wrong';

async function main(): Promise<number> {
  const okta = await startFakeOkta({ tokens: [TOKEN], seed: 'empty', rateLimit: { limit: 1_000_000, windowSeconds: 60 } });
  const groupIds = Array.from({ length: GROUPS }, (_, i) => okta.state.addGroup({ name: `Load group ${i}` }).id);
  const userIds = Array.from({ length: USERS }, (_, i) => okta.state.addUser({ profile: { login: `load${i}@example.com`, email: `load${i}@example.com`, firstName: 'Load', lastName: String(i) }, status: 'ACTIVE' }).id);

  const engine = await createEngine({ only: ['okta'], callTimeoutMs: 2_500, transportLimits: { headersTimeoutMs: 800, bodyTimeoutMs: 800 }, maxRetryWaitMs: 2_000 });
  const store = openStore({ inMemory: true });
  const key = store.createApiKey('load').key;
  const account = store.addAccount({ integration: 'okta', environment: 'load', context: { domain: okta.host }, credentials: { api_token: TOKEN } });
  const server = createServer({ engine, store });
  const address = await server.listen(0, '127.0.0.1');
  const client = new Pool(address.url, { connections: CONCURRENCY * 2 });

  const outcomes: Record<Outcome, number> = { ok: 0, rate_limited: 0, bad_gateway: 0, timeout: 0, wrong: 0 };
  const wrong: string[] = [];
  const succeeded = new Set<string>();
  const latencies: number[] = [];
  const memory: { t: number; heapMb: number; rssMb: number }[] = [];
  let faults = { rateLimit: 0, serverError: 0, hang: 0 };
  let seq = 0;

  const call = async (): Promise<void> => {
    const n = seq++;
    const group = groupIds[n % GROUPS];
    const user = userIds[(n * 7) % USERS];
    const roll = Math.random();
    // Faults aimed at this call's own PUT path, so concurrent calls cannot steal each other's.
    const match = { method: 'PUT', path: `/api/v1/groups/${group}/users/${user}` };
    if (roll < 0.1) {
      okta.inject({ kind: 'rateLimit', resetInSeconds: 1, match });
      faults.rateLimit++;
    } else if (roll < 0.15) {
      okta.inject({ kind: 'oktaError', match });
      faults.serverError++;
    } else if (roll < 0.16) {
      okta.inject({ kind: 'hang', match });
      faults.hang++;
    }
    const started = performance.now();
    try {
      const res = await client.request({
        method: 'POST',
        path: `/unified/user-directory/groups/add?integrated_account_id=${account.id}`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ group_id: group, user_id: user }),
      });
      const body = (await res.body.json()) as Record<string, unknown>;
      latencies.push(performance.now() - started);
      if (res.statusCode === 200 && body.id === group) {
        outcomes.ok++;
        succeeded.add(`${group}/${user}`);
      } else if (res.statusCode === 429 && body.statusCode === 429) outcomes.rate_limited++;
      else if (res.statusCode === 502 && body.remote_error === true) outcomes.bad_gateway++;
      else if (res.statusCode === 504 && body.statusCode === 504) outcomes.timeout++;
      else {
        outcomes.wrong++;
        if (wrong.length < 10) wrong.push(`${res.statusCode} ${JSON.stringify(body).slice(0, 200)}`);
      }
    } catch (err) {
      outcomes.wrong++;
      if (wrong.length < 10) wrong.push(`transport: ${(err as Error).message}`);
    }
  };

  const deadline = Date.now() + SECONDS * 1000;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    memory.push({ t: Date.now(), heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 });
  }, 1000);
  const worker = async () => {
    while (Date.now() < deadline) await call();
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (Date.now() - started) / 1000;
  clearInterval(sampler);

  // Graceful shutdown under load: start calls, close the server while they are in flight.
  const inFlight = Array.from({ length: CONCURRENCY }, () => call());
  await delay(20);
  const before = { ...outcomes };
  const closing = server.close();
  await Promise.all(inFlight);
  await closing;
  const shutdownWrong = outcomes.wrong - before.wrong;

  // Memberships: every success is in the fake's state, and no member appears twice.
  let lost = 0;
  for (const pair of succeeded) {
    const [g, u] = pair.split('/');
    if (!okta.state.isMember(g, u)) lost++;
  }
  let doubled = 0;
  for (const g of groupIds) {
    const ids = okta.state.members(g).map((u) => u.id);
    doubled += ids.length - new Set(ids).size;
  }

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]?.toFixed(1);
  const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
  const firstMem = memory.slice(1, 4);
  const lastMem = memory.slice(-3);
  const avg = (xs: { heapMb: number }[]) => xs.reduce((a, b) => a + b.heapMb, 0) / Math.max(1, xs.length);
  const growth = avg(lastMem) - avg(firstMem);

  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, node ${process.version}`);
  console.log(`soak: ${elapsed.toFixed(1)} s at concurrency ${CONCURRENCY}: ${total} calls, ${(total / elapsed).toFixed(0)} calls/s`);
  console.log(`faults injected: ${faults.rateLimit} rate limits, ${faults.serverError} server errors, ${faults.hang} hangs`);
  console.log(`outcomes: ${JSON.stringify(outcomes)}`);
  console.log(`latency ms: p50 ${pct(50)}, p90 ${pct(90)}, p99 ${pct(99)}, max ${latencies.at(-1)?.toFixed(1)}`);
  console.log(`memberships: ${succeeded.size} distinct successes, ${lost} lost, ${doubled} doubled`);
  console.log(`heap MiB: start ${avg(firstMem).toFixed(1)}, end ${avg(lastMem).toFixed(1)} (growth ${growth.toFixed(1)}), rss end ${memory.at(-1)?.rssMb.toFixed(0)}`);
  console.log(`graceful shutdown: ${CONCURRENCY} calls in flight, ${shutdownWrong} lost`);
  if (wrong.length) console.log(`wrong answers (first ${wrong.length}):\n  ${wrong.join('\n  ')}`);

  await client.close();
  await engine.close();
  store.close();
  await okta.close();
  const failed = outcomes.wrong > 0 || lost > 0 || doubled > 0 || shutdownWrong > 0 || growth > 64;
  console.log(failed ? 'LOAD: FAILED' : 'LOAD: PASSED');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
