/**
 * The unified server's own CPU per request, without the remote call: `npx tsx test/bench/server-overhead.ts`
 * (about 40 s; not part of `npm run bench`). The server runs users.get with `engine.execute`
 * answering at once with the body and headers a real call gives; a bare node:http handler sends
 * the same body. What is left between the two is routing, the API key, the account, the query, the
 * response headers, cancellation, and (in the last two rows) one access-log line per request,
 * written to a file synchronously per line or through bufferedLines.
 *
 * All servers run in this process, one at a time, under a closed loop of 50 callers from one
 * load-generator process; each is measured REPEAT (default 5) times, alternating, and the median
 * CPU µs per request is printed.
 */
import { fork } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../engine/index.js';
import { bufferedLines, jsonLogger, type Logger } from '../../engine/logger.js';
import { createServer } from '../../engine/server/index.js';
import { openStore } from '../../engine/store/index.js';
import { repoRoot } from '../support/paths.js';
import { fmt, table } from './timing.js';

const REPEAT = Number(process.env.REPEAT ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 1.5);
const CONCURRENCY = 50;

// What users.get answers for one user of the fake (1,477 bytes of JSON).
const body = {
  id: '00ub0oNGTSWTBKOLGLNR',
  email: 'isaac.brock@example.com',
  first_name: 'Isaac',
  last_name: 'Brock',
  name: 'Isaac Brock',
  status: 'active',
  created_at: '2024-06-18T07:55:03.000Z',
  updated_at: '2024-06-18T07:55:03.000Z',
  remote_data: {
    id: '00ub0oNGTSWTBKOLGLNR',
    status: 'ACTIVE',
    created: '2024-06-18T07:55:03.000Z',
    activated: '2024-06-18T07:55:03.000Z',
    statusChanged: '2024-06-18T07:55:03.000Z',
    lastLogin: null,
    lastUpdated: '2024-06-18T07:55:03.000Z',
    passwordChanged: null,
    profile: { login: 'isaac.brock@example.com', email: 'isaac.brock@example.com', firstName: 'Isaac', lastName: 'Brock' },
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
    _links: Object.fromEntries(
      ['suspend', 'resetPassword', 'expirePassword', 'self', 'changeRecoveryQuestion', 'deactivate', 'changePassword'].map((rel) => [
        rel,
        { href: `http://127.0.0.1:40000/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/${rel}`, method: 'POST' },
      ]),
    ),
  },
};
const result = { status: 200, body, headers: { 'ratelimit-limit': '1000', 'ratelimit-remaining': '999', 'ratelimit-reset': '50' } };

const engine: Engine = await createEngine({ only: ['okta'] });
engine.execute = async () => result;
const store = openStore({ inMemory: true });
const key = store.createApiKey('bench').key;
const account = store.addAccount({ integration: 'okta', environment: 'bench', context: { domain: 'example.okta.com' }, credentials: { api_token: 'token' } });
const logDir = mkdtempSync(path.join(tmpdir(), 'unimap-overhead-'));
const fd = openSync(path.join(logDir, 'access.log'), 'a');

interface Target {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  close: () => Promise<void>;
}

async function unimap(name: string, logger?: Logger): Promise<Target> {
  const server = createServer({ engine, store, logger });
  const { url } = await server.listen(0, '127.0.0.1');
  return { name, origin: url, path: `/unified/user-directory/users/00ub0oNGTSWTBKOLGLNR?integrated_account_id=${account.id}`, headers: { authorization: `Bearer ${key}` }, close: () => server.close() };
}

const bare = createHttpServer((_req, res) => {
  const payload = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) }).end(payload);
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const targets: Target[] = [
  {
    name: 'bare node:http, same body',
    origin: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
    path: '/users/00ub0oNGTSWTBKOLGLNR',
    headers: {},
    close: async () => {
      bare.closeAllConnections();
      await new Promise<void>((resolve) => bare.close(() => resolve()));
    },
  },
  await unimap('unimap server, no access log'),
  await unimap('unimap server, access log, a write per line', jsonLogger((line) => writeSync(fd, `${line}\n`))),
  await unimap('unimap server, access log, bufferedLines', jsonLogger(bufferedLines({ write: (text) => writeSync(fd, text) }).write)),
];

const loader = fork(path.join(repoRoot, 'test/bench/load-process.ts'), [], { cwd: repoRoot, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const cpu = new Map<string, number[]>();
for (let round = -1; round < REPEAT; round++) {
  for (const t of targets) {
    const done = new Promise<{ requests: number; errors: number }>((resolve) => loader.once('message', resolve as never));
    const warmupMs = round < 0 ? 1_000 : 250;
    const before = process.cpuUsage();
    loader.send({ origin: t.origin, paths: [t.path], headers: t.headers, concurrency: CONCURRENCY, warmupMs, durationMs: SECONDS * 1000, reuse: true });
    const r = await done;
    const used = process.cpuUsage(before);
    if (r.errors) throw new Error(`${t.name}: ${r.errors} errors`);
    // Round -1 warms everything up and is not counted.
    if (round >= 0) cpu.set(t.name, [...(cpu.get(t.name) ?? []), (used.user + used.system) / ((r.requests * (warmupMs + SECONDS * 1000)) / (SECONDS * 1000))]);
  }
}
loader.disconnect();
for (const t of targets) await t.close();
await engine.close();
store.close();
closeSync(fd);
rmSync(logDir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(cpu.get(targets[0].name)!);
console.log(
  table(
    ['users.get, engine answering at once, 50 callers', 'CPU µs/req', 'over bare'],
    targets.map((t) => [t.name, fmt(median(cpu.get(t.name)!), 1), t === targets[0] ? '' : fmt(median(cpu.get(t.name)!) - floor, 1)]),
  ),
);
process.exit(0);
