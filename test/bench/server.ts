/**
 * Section 4: the unified server against a minimal hand-written gateway, same remote calls to the
 * same fake Okta (in its own process), same client (a closed-loop undici Pool in its own process,
 * one keep-alive connection per caller), at concurrency 1 and 50: throughput, p50/p99 latency, and
 * the server process's CPU per request. Both run node:http with the same timeout and keep-alive
 * settings (the server's defaults; see minimal-gateway.ts), both log nothing, and both answer the
 * same JSON body. Run just this section with BENCH_ONLY=server.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { CompilingExpressionCompiler, JsonataInterpreter, type ExpressionCompiler } from '../../engine/expression/index.js';
import { createEngine } from '../../engine/index.js';
import { repoRoot } from '../support/paths.js';
import { startMinimalGateway } from './minimal-gateway.js';
import { fmt, table } from './timing.js';

interface OktaInfo {
  origin: string;
  host: string;
  token: string;
  userIds: string[];
}

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

const TS = ['--import', 'tsx'];

function child(file: string, args: string[] = []): ChildProcess {
  return fork(path.join(repoRoot, 'test/bench', file), args, { cwd: repoRoot, execArgv: TS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function firstMessage<T>(proc: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child process did not report in time')), timeoutMs);
    proc.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as T);
    });
    proc.once('exit', (code) => reject(new Error(`child process exited with ${code}`)));
  });
}

async function load(origin: string, paths: string[], headers: Record<string, string>, concurrency: number, warmupMs: number, durationMs: number) {
  const proc = child('load-process.ts');
  const result = firstMessage<LoadResult>(proc, warmupMs + durationMs + 20_000);
  proc.send({ origin, paths, headers, concurrency, warmupMs, durationMs });
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const r = await result;
  const used = process.cpuUsage(cpu0);
  const wallMs = performance.now() - started;
  // CPU over the whole run (warm-up included) per request over the whole run.
  const totalRequests = (r.requests * (warmupMs + durationMs)) / durationMs;
  return { ...r, rps: r.requests / r.seconds, cpuPerRequest: (used.user + used.system) / totalRequests, cpuShare: (used.user + used.system) / 1000 / wallMs };
}

export interface ServerBenchOptions {
  warmupMs: number;
  durationMs: number;
  concurrencies: number[];
}

export async function benchServer(options: ServerBenchOptions): Promise<string> {
  let server: typeof import('../../engine/server/index.js');
  let storeModule: typeof import('../../engine/store/index.js');
  try {
    server = await import('../../engine/server/index.js');
    storeModule = await import('../../engine/store/index.js');
  } catch (err) {
    return `TODO (server section): engine/server is not available yet (${(err as Error).message}).`;
  }
  const okta = child('fake-okta-process.ts');
  const info = await firstMessage<OktaInfo>(okta, 20_000);
  const rows: string[][] = [];
  const results = new Map<string, Awaited<ReturnType<typeof load>>>();
  try {
    const systems: { name: string; start: () => Promise<{ origin: string; paths: string[]; headers: Record<string, string>; close: () => Promise<void> }> }[] = [
      {
        name: 'minimal gateway (node:http + undici Pool, mapping by hand)',
        start: async () => {
          const gw = await startMinimalGateway(info.origin, info.token);
          return { origin: gw.url, paths: info.userIds.map((id) => `/users/${id}`), headers: {}, close: () => gw.close() };
        },
      },
      ...(
        [
          ['unimap server, compiled mappings', new CompilingExpressionCompiler()],
          ['unimap server, interpreted mappings', new JsonataInterpreter()],
        ] as [string, ExpressionCompiler][]
      ).map(([name, compiler]) => ({
        name,
        start: async () => {
          const engine = await createEngine({ only: ['okta'], compiler });
          const store = storeModule.openStore({ inMemory: true });
          const key = store.createApiKey('bench').key;
          const account = store.addAccount({ integration: 'okta', environment: 'bench', context: { domain: info.host }, credentials: { api_token: info.token } });
          const srv = server.createServer({ engine, store });
          const address = await srv.listen(0, '127.0.0.1');
          return {
            origin: address.url,
            paths: info.userIds.map((id) => `/unified/user-directory/users/${id}?integrated_account_id=${account.id}`),
            headers: { authorization: `Bearer ${key}` },
            close: async () => {
              await srv.close();
              await engine.close();
              store.close();
            },
          };
        },
      })),
    ];
    for (const system of systems) {
      const target = await system.start();
      try {
        for (const c of options.concurrencies) {
          const r = await load(target.origin, target.paths, target.headers, c, options.warmupMs, options.durationMs);
          results.set(`${system.name}@${c}`, r);
          rows.push([system.name, String(c), fmt(r.rps, 0), fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.cpuPerRequest, 0), r.errors ? String(r.errors) : '0']);
        }
      } finally {
        await target.close();
      }
    }
  } finally {
    okta.disconnect();
    okta.kill();
  }
  const ratios = options.concurrencies
    .map((c) => {
      const gw = results.get(`minimal gateway (node:http + undici Pool, mapping by hand)@${c}`);
      const cmp = results.get(`unimap server, compiled mappings@${c}`);
      const int = results.get(`unimap server, interpreted mappings@${c}`);
      if (!gw || !cmp || !int) return '';
      return `concurrency ${c}: unimap (compiled) / minimal gateway = ${(cmp.rps / gw.rps).toFixed(2)}× throughput; interpreted = ${(int.rps / gw.rps).toFixed(2)}×`;
    })
    .filter(Boolean)
    .join('\n');
  return `${table(['users.get over HTTP (fake Okta in its own process)', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors'], rows)}\n\n${ratios}`;
}
