/**
 * Instructions per request, the one server figure this shared machine cannot blur:
 * `npx tsx test/bench/instructions.ts` (≈ 3 minutes; needs valgrind, not part of `npm run bench`).
 *
 * CPU time per request at concurrency 1 moves by a factor of two from one minute to the next here
 * (the load generator, doing the same work every time, moves as much), so a change worth 5% cannot
 * be seen in it. Valgrind's callgrind counts the instructions a process executes instead: the same
 * code and input give the same count whatever else the machine is doing. Each system (the minimal
 * gateway and the unified server with compiled mappings, system-process.ts) runs under callgrind
 * with instrumentation off while it starts and warms up (JIT tiers settle), then on for a measured
 * stretch of users.get at concurrency 1 from the usual load generator, against the fake Okta.
 * Counted: every thread of the process (JIT compiler and GC threads included), user space only: the
 * kernel's share of a request (its system calls, the same four for both) is not in it.
 *
 * Caveat: instructions are not time. At concurrency 1 every request starts with cold caches, so
 * code that touches more memory costs more time than its count says; the count is for telling
 * whether a change removed work, the throughput bench for what it bought.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';
import { describeMachine } from './machine.js';
import type { SystemName, SystemReady } from './system-process.js';
import { nextMessage } from './child-message.js';
import { fmt, table } from './timing.js';

const WARM_REQUESTS = Number(process.env.WARM_REQUESTS ?? 4_000);
const MEASURED_MS = Number(process.env.MEASURED_MS ?? 15_000);
const TS = ['--import', 'tsx'];
/** Everything is slow under valgrind: starting, and each 5 s load run. */
const STARTUP_MS = 300_000;

interface OktaInfo {
  origin: string;
  host: string;
  token: string;
  userIds: string[];
}

function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function measure(system: SystemName, okta: OktaInfo, loader: ChildProcess, dir: string): Promise<{ requests: number; instructions: number; mainThread: number }> {
  const out = path.join(dir, `${system}.callgrind`);
  const proc = spawn(
    'valgrind',
    ['--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', `--callgrind-out-file=${out}`, process.execPath, ...TS, path.join(repoRoot, 'test/bench/system-process.ts'), system, okta.origin, okta.host, okta.token, ...okta.userIds],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
  );
  try {
    const ready = await nextMessage<SystemReady>(proc, STARTUP_MS, 'ready');
    const run = async (durationMs: number) => {
      const result = nextMessage<{ requests: number; errors: number }>(loader, STARTUP_MS);
      loader.send({ origin: ready.origin, paths: ready.paths, headers: ready.headers, concurrency: 1, warmupMs: 0, durationMs, reuse: true });
      const r = await result;
      if (r.errors > 0) throw new Error(`${system}: ${r.errors} requests failed`);
      return r.requests;
    };
    for (let warmed = 0; warmed < WARM_REQUESTS; ) warmed += await run(5_000);
    execFileSync('callgrind_control', ['--instr=on', String(proc.pid)], { stdio: 'ignore' });
    const requests = await run(MEASURED_MS);
    execFileSync('callgrind_control', ['--instr=off', String(proc.pid)], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--dump', String(proc.pid)], { stdio: 'ignore' });
    // One file per thread: "-01" is the JavaScript thread; the others compile, collect garbage
    // concurrently and run libuv's pool, and vary more from run to run.
    let instructions = 0;
    let mainThread = 0;
    for (const file of readdirSync(dir).filter((f) => f.startsWith(`${system}.callgrind`))) {
      const totals = /^totals:\s*(\d+)/m.exec(readFileSync(path.join(dir, file), 'utf8'));
      instructions += Number(totals?.[1] ?? 0);
      if (file.endsWith('-01')) mainThread += Number(totals?.[1] ?? 0);
    }
    return { requests, instructions, mainThread };
  } finally {
    // Valgrind writes its last dump on the way out; the folder is removed only after.
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill();
      await exited;
    }
  }
}

if (!hasValgrind()) {
  console.log('valgrind is not installed (apt-get install valgrind): nothing measured.');
  process.exit(0);
}
const dir = mkdtempSync(path.join(tmpdir(), 'unimap-instructions-'));
const okta = fork(path.join(repoRoot, 'test/bench/fake-okta-process.ts'), [], { cwd: repoRoot, execArgv: TS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const loader = fork(path.join(repoRoot, 'test/bench/load-process.ts'), [], { cwd: repoRoot, execArgv: TS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
try {
  const info = await nextMessage<OktaInfo>(okta, STARTUP_MS);
  const rows: string[][] = [];
  const perRequest = new Map<SystemName, number>();
  const allThreads = new Map<SystemName, number>();
  for (const system of ['gateway', 'compiled'] as SystemName[]) {
    const { requests, instructions, mainThread } = await measure(system, info, loader, dir);
    perRequest.set(system, mainThread / requests);
    allThreads.set(system, instructions / requests);
    rows.push([system, String(requests), fmt(mainThread / requests / 1000, 1), fmt(instructions / requests / 1000, 1)]);
  }
  console.log(`# Instructions per users.get at concurrency 1 (callgrind)\n\nMachine: ${describeMachine()}\n`);
  console.log(table(['system', 'requests measured', 'k instructions / request, JS thread', 'all threads'], rows));
  console.log(`\nunimap / gateway: ${fmt(perRequest.get('compiled')! / perRequest.get('gateway')!, 2)}× on the JS thread, ${fmt(allThreads.get('compiled')! / allThreads.get('gateway')!, 2)}× over all threads`);
} finally {
  for (const p of [okta, loader]) {
    p.disconnect();
    p.kill();
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(0);
