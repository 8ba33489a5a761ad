/**
 * Section 4: the unified server against a minimal hand-written gateway, same remote calls to the
 * same fake Okta, same client (a closed-loop undici Pool, one keep-alive connection per caller), at
 * concurrency 1 and 50: throughput, p50/p99 latency, and the server process's CPU per request.
 * Both run node:http with the same timeout and keep-alive settings (the server's defaults; see
 * minimal-gateway.ts), both log nothing, and both answer the same JSON body. Every system
 * (system-process.ts), the fake Okta and the load generator (one process, reused for every run)
 * run in processes of their own, so no system inherits another's heap or garbage. Run just this
 * section with BENCH_ONLY=server.
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
import { repoRoot } from '../support/paths.js';
import type { SystemName, SystemReady } from './system-process.js';
import { nextMessage } from './child-message.js';
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
  /** Cores used by processes other than the benchmark's own, on average; undefined off Linux. */
  otherCores?: number;
}

const TS = ['--import', 'tsx'];
/** Cores used by other processes above which a run is measured again. */
const BUSY_MACHINE = 0.25;
const MAX_RETRIES = 6;

const SYSTEMS: [SystemName, string][] = [
  ['gateway', 'minimal gateway (node:http + undici Pool, mapping by hand)'],
  ['compiled', 'unimap server, compiled mappings'],
  ['interpreted', 'unimap server, interpreted mappings'],
];

function child(file: string, args: string[] = []): ChildProcess {
  return fork(path.join(repoRoot, 'test/bench', file), args, { cwd: repoRoot, execArgv: TS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function cpuMicrosOf(proc: ChildProcess): Promise<number> {
  const reply = nextMessage<{ micros: number }>(proc, 10_000, 'cpu');
  proc.send({ type: 'cpu' });
  return (await reply).micros;
}

/** Busy CPU time of the whole machine, in seconds (Linux /proc); undefined elsewhere. */
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

async function load(loader: ChildProcess, system: ChildProcess, target: SystemReady, concurrency: number, warmupMs: number, durationMs: number, okta: ChildProcess): Promise<Run> {
  const result = nextMessage<LoadResult>(loader, warmupMs + durationMs + 20_000);
  const cpu0 = await cpuMicrosOf(system);
  const busy0 = machineBusySeconds();
  const okta0 = processSeconds(okta.pid);
  const main0 = process.cpuUsage();
  const started = performance.now();
  loader.send({ origin: target.origin, paths: target.paths, headers: target.headers, concurrency, warmupMs, durationMs, reuse: true });
  const r = await result;
  const wallSeconds = (performance.now() - started) / 1000;
  const main = process.cpuUsage(main0);
  const busy1 = machineBusySeconds();
  const okta1 = processSeconds(okta.pid);
  const used = (await cpuMicrosOf(system)) - cpu0;
  let otherCores: number | undefined;
  if (busy0 !== undefined && busy1 !== undefined && okta0 !== undefined && okta1 !== undefined) {
    const ours = (used + r.cpuMicros + main.user + main.system) / 1e6 + (okta1 - okta0);
    otherCores = Math.max(0, (busy1 - busy0 - ours) / wallSeconds);
  }
  // CPU over the whole run (warm-up included) per request over the whole run.
  const totalRequests = (r.requests * (warmupMs + durationMs)) / durationMs;
  return { ...r, rps: r.requests / r.seconds, cpuPerRequest: used / totalRequests, otherCores };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
}

export interface ServerBenchOptions {
  /** Each system is first loaded for 1.5× this (unmeasured); every run then warms up for a quarter of it. */
  warmupMs: number;
  /** Measured time per system and concurrency, split over the rounds. */
  durationMs: number;
  concurrencies: number[];
  /** Default: BENCH_SERVER_ROUNDS, else 5. */
  rounds?: number;
}

export async function benchServer(options: ServerBenchOptions): Promise<string> {
  try {
    await import('../../engine/server/index.js');
  } catch (err) {
    return `TODO (server section): engine/server is not available yet (${(err as Error).message}).`;
  }
  const rounds = Math.max(1, options.rounds ?? Number(process.env.BENCH_SERVER_ROUNDS ?? 5));
  const slice = Math.max(250, Math.round(options.durationMs / rounds));
  const okta = child('fake-okta-process.ts');
  const loader = child('load-process.ts');
  const processes: ChildProcess[] = [okta, loader];
  const runs = new Map<string, Run[]>();
  let retried = 0;
  try {
    const info = await nextMessage<OktaInfo>(okta, 20_000);
    const systems = await Promise.all(
      SYSTEMS.map(async ([name]) => {
        const proc = child('system-process.ts', [name, info.origin, info.host, info.token, ...info.userIds]);
        processes.push(proc);
        return { name, proc, ready: await nextMessage<SystemReady>(proc, 60_000, 'ready') };
      }),
    );
    // Everything (the fake Okta and the load generator too) runs well below speed for its first
    // seconds; warm every system up under load before any measurement.
    for (const s of systems) await load(loader, s.proc, s.ready, Math.max(...options.concurrencies), 0, options.warmupMs * 1.5, okta);
    for (let round = 0; round < rounds; round++) {
      for (const c of options.concurrencies) {
        for (const s of systems) {
          const warmup = Math.round(options.warmupMs / 4);
          let r = await load(loader, s.proc, s.ready, c, warmup, slice, okta);
          // Another process took a large share of the CPU meanwhile: measure again, once, unless the
          // machine has stayed busy all along (then retrying only doubles the time).
          if ((r.otherCores ?? 0) > BUSY_MACHINE && retried < MAX_RETRIES) {
            retried++;
            r = await load(loader, s.proc, s.ready, c, warmup, slice, okta);
          }
          const key = `${s.name}@${c}`;
          runs.set(key, [...(runs.get(key) ?? []), r]);
        }
      }
    }
  } finally {
    for (const p of processes) {
      p.disconnect();
      p.kill();
    }
  }

  const rows: string[][] = [];
  for (const [name, label] of SYSTEMS) {
    for (const c of options.concurrencies) {
      const rs = runs.get(`${name}@${c}`) ?? [];
      const errors = rs.reduce((n, r) => n + r.errors, 0);
      rows.push([label, String(c), fmt(median(rs.map((r) => r.rps)), 0), fmt(median(rs.map((r) => r.p50)), 2), fmt(median(rs.map((r) => r.p99)), 2), fmt(median(rs.map((r) => r.cpuPerRequest)), 0), String(errors)]);
    }
  }
  const pairedRatio = (system: SystemName, c: number) => {
    const gw = runs.get(`gateway@${c}`) ?? [];
    const other = runs.get(`${system}@${c}`) ?? [];
    return median(other.map((r, i) => r.rps / gw[i].rps));
  };
  const ratios = options.concurrencies
    .map((c) => `concurrency ${c}: unimap (compiled) / minimal gateway = ${pairedRatio('compiled', c).toFixed(2)}× throughput; interpreted = ${pairedRatio('interpreted', c).toFixed(2)}×`)
    .join('\n');
  const others = [...runs.values()].flat().map((r) => r.otherCores).filter((x): x is number => x !== undefined);
  const noise = others.length
    ? `CPU used by other processes during the runs kept: median ${(100 * median(others)).toFixed(0)}%, max ${(100 * Math.max(...others)).toFixed(0)}% of one core (more than a few percent and every number above moves); ${retried} run${retried === 1 ? '' : 's'} measured again for more than ${100 * BUSY_MACHINE}%.`
    : '';
  const how = `${rounds} rounds, each system measured for ${slice} ms per concurrency per round, in turn; medians over rounds, ratios are the median of the ratios within a round.`;
  return `${table(['users.get over HTTP (fake Okta in its own process)', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'errors'], rows)}\n\n${ratios}\n\n${how}${noise ? `\n${noise}` : ''}`;
}
