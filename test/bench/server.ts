/**
 * Section 4: the unified server against a minimal hand-written gateway, same remote calls to the
 * same fake Okta (in its own process), same client (a closed-loop undici Pool in its own process,
 * one keep-alive connection per caller), at concurrency 1 and 50: throughput, p50/p99 latency, and
 * the server process's CPU per request. Both run node:http with the same timeout and keep-alive
 * settings (the server's defaults; see minimal-gateway.ts), both log nothing, and both answer the
 * same JSON body. Run just this section with BENCH_ONLY=server.
 *
 * The machine is small and shared, so the systems take turns: every round measures each system at
 * each concurrency for a slice of the time, and a ratio is the median of the ratios within a round
 * (measured seconds apart, under the same conditions). The CPU other processes used meanwhile is
 * reported (on Linux), since it moves every number, and a run during which they took more than a
 * quarter of a core is measured again (a few times at most).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  /** The load generator's own CPU time. */
  cpuMicros: number;
}

interface Run extends LoadResult {
  rps: number;
  cpuPerRequest: number;
  /** Cores used by processes other than the three of the benchmark, on average; undefined off Linux. */
  otherCores?: number;
}

const TS = ['--import', 'tsx'];
/** Cores used by other processes above which a run is measured again. */
const BUSY_MACHINE = 0.25;
const MAX_RETRIES = 6;
const GATEWAY = 'minimal gateway (node:http + undici Pool, mapping by hand)';
const COMPILED = 'unimap server, compiled mappings';
const INTERPRETED = 'unimap server, interpreted mappings';

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

/** Busy CPU time of the whole machine, and of one process, in seconds (Linux /proc); undefined elsewhere. */
function machineBusySeconds(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
  } catch {
    return undefined;
  }
}

function processSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function load(origin: string, paths: string[], headers: Record<string, string>, concurrency: number, warmupMs: number, durationMs: number, okta: ChildProcess): Promise<Run> {
  const proc = child('load-process.ts');
  const result = firstMessage<LoadResult>(proc, warmupMs + durationMs + 20_000);
  const busy0 = machineBusySeconds();
  const okta0 = processSeconds(okta.pid);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  proc.send({ origin, paths, headers, concurrency, warmupMs, durationMs });
  const r = await result;
  const used = process.cpuUsage(cpu0);
  const wallSeconds = (performance.now() - started) / 1000;
  const busy1 = machineBusySeconds();
  const okta1 = processSeconds(okta.pid);
  let otherCores: number | undefined;
  if (busy0 !== undefined && busy1 !== undefined && okta0 !== undefined && okta1 !== undefined) {
    const ours = (used.user + used.system + r.cpuMicros) / 1e6 + (okta1 - okta0);
    // The load process's start-up is in its own CPU time but partly before busy0: clamp at 0.
    otherCores = Math.max(0, (busy1 - busy0 - ours) / wallSeconds);
  }
  // CPU over the whole run (warm-up included) per request over the whole run.
  const totalRequests = (r.requests * (warmupMs + durationMs)) / durationMs;
  return { ...r, rps: r.requests / r.seconds, cpuPerRequest: (used.user + used.system) / totalRequests, otherCores };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

export interface ServerBenchOptions {
  /** Warm-up of each system's first run; later rounds warm up for a quarter of it. */
  warmupMs: number;
  /** Measured time per system and concurrency, split over the rounds. */
  durationMs: number;
  concurrencies: number[];
  /** Default: BENCH_SERVER_ROUNDS, else 3. */
  rounds?: number;
}

interface Target {
  origin: string;
  paths: string[];
  headers: Record<string, string>;
  close: () => Promise<void>;
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
  const rounds = Math.max(1, options.rounds ?? Number(process.env.BENCH_SERVER_ROUNDS ?? 3));
  const okta = child('fake-okta-process.ts');
  const info = await firstMessage<OktaInfo>(okta, 20_000);
  const runs = new Map<string, Run[]>();
  const targets: [string, Target][] = [];
  const slice = Math.max(250, Math.round(options.durationMs / rounds));
  let retried = 0;
  try {
    const gateway = async (): Promise<Target> => {
      const gw = await startMinimalGateway(info.origin, info.token);
      return { origin: gw.url, paths: info.userIds.map((id) => `/users/${id}`), headers: {}, close: () => gw.close() };
    };
    const unimap = async (compiler: ExpressionCompiler): Promise<Target> => {
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
    };
    targets.push([GATEWAY, await gateway()], [COMPILED, await unimap(new CompilingExpressionCompiler())], [INTERPRETED, await unimap(new JsonataInterpreter())]);
    for (let round = 0; round < rounds; round++) {
      for (const c of options.concurrencies) {
        for (const [name, t] of targets) {
          const warmup = round === 0 ? options.warmupMs : Math.round(options.warmupMs / 4);
          let r = await load(t.origin, t.paths, t.headers, c, warmup, slice, okta);
          // Another process took a large share of the CPU meanwhile: measure again, once, unless the
          // machine has stayed busy all along (then retrying only doubles the time).
          if ((r.otherCores ?? 0) > BUSY_MACHINE && retried < MAX_RETRIES) {
            retried++;
            r = await load(t.origin, t.paths, t.headers, c, warmup, slice, okta);
          }
          const key = `${name}@${c}`;
          runs.set(key, [...(runs.get(key) ?? []), r]);
        }
      }
    }
  } finally {
    for (const [, t] of targets) await t.close();
    okta.disconnect();
    okta.kill();
  }

  const rows: string[][] = [];
  for (const [name] of targets) {
    for (const c of options.concurrencies) {
      const rs = runs.get(`${name}@${c}`) ?? [];
      const errors = rs.reduce((n, r) => n + r.errors, 0);
      rows.push([name, String(c), fmt(median(rs.map((r) => r.rps)), 0), fmt(median(rs.map((r) => r.p50)), 2), fmt(median(rs.map((r) => r.p99)), 2), fmt(median(rs.map((r) => r.cpuPerRequest)), 0), String(errors)]);
    }
  }
  const pairedRatio = (system: string, c: number) => {
    const gw = runs.get(`${GATEWAY}@${c}`) ?? [];
    const other = runs.get(`${system}@${c}`) ?? [];
    return median(other.map((r, i) => r.rps / gw[i].rps));
  };
  const ratios = options.concurrencies
    .map((c) => `concurrency ${c}: unimap (compiled) / minimal gateway = ${pairedRatio(COMPILED, c).toFixed(2)}× throughput; interpreted = ${pairedRatio(INTERPRETED, c).toFixed(2)}×`)
    .join('\n');
  const others = [...runs.values()].flat().map((r) => r.otherCores).filter((x): x is number => x !== undefined);
  const noise = others.length
    ? `CPU used by other processes during the runs kept: median ${(100 * median(others)).toFixed(0)}%, max ${(100 * Math.max(...others)).toFixed(0)}% of one core (more than a few percent and every number above moves); ${retried} run${retried === 1 ? '' : 's'} measured again for more than ${100 * BUSY_MACHINE}%.`
    : '';
  const how = `${rounds} rounds, each system measured for ${slice} ms per concurrency per round, in turn; medians over rounds, ratios are the median of the ratios within a round.`;
  return `${table(['users.get over HTTP (fake Okta in its own process)', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors'], rows)}\n\n${ratios}\n\n${how}${noise ? `\n${noise}` : ''}`;
}
