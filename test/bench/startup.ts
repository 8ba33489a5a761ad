/**
 * Section 3: start-up. Each measurement is a fresh Node process that imports the engine and runs
 * `createEngine` over every integration, so module loading is counted apart from loading definitions.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';
import { fmt, table } from './timing.js';

interface Probe {
  importMs: number;
  createMs: number;
  /** CPU time of the same phases (user + system, all threads): what a co-tenant on the machine does not inflate. */
  importCpuMs: number;
  createCpuMs: number;
  operations: number;
  integrations: number;
  compiled: number;
  interpreted: number;
}

function probe(compiler: 'compiled' | 'interpreter'): Probe {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/bench/startup-probe.ts'), compiler], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as Probe;
}

export function benchStartup(runs: number): string {
  const rows: string[][] = [];
  for (const compiler of ['interpreter', 'compiled'] as const) {
    const probes = Array.from({ length: runs }, () => probe(compiler)).sort((a, b) => a.createMs - b.createMs);
    const median = probes[Math.floor(probes.length / 2)];
    rows.push([
      compiler,
      `${median.integrations} / ${median.operations}`,
      `${median.compiled} / ${median.interpreted}`,
      fmt(median.importMs, 0),
      fmt(median.createMs, 0),
      fmt(median.createCpuMs, 0),
    ]);
  }
  return table(['createEngine (median of fresh processes)', 'integrations / operations', 'expressions compiled / interpreted', 'import ms', 'createEngine ms', 'createEngine CPU ms'], rows);
}
