/** Small, bounded timing helpers: every measurement runs for a time budget, not a count. */

/*
 * Every measurement is CPU time (user + system, the whole process's), not wall time: the machine
 * is small and shared, and a co-tenant stretches wall time while it barely changes CPU time. Each
 * is the median of five windows after a warm-up, so a window that also pays for a major GC or
 * background compilation shows as an outlier rather than as the answer.
 */
const WINDOWS = 5;

function cpuNow(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** CPU microseconds per call of `fn`, after a warm-up, measured over about `budgetMs`. */
export function microsPerOp(fn: () => unknown, budgetMs: number): number {
  const warmUntil = performance.now() + budgetMs * 0.3;
  while (performance.now() < warmUntil) for (let i = 0; i < 100; i++) fn();
  const results: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    let ops = 0;
    let batch = 100;
    const start = performance.now();
    const until = start + (budgetMs * 0.7) / WINDOWS;
    const cpu0 = cpuNow();
    let now = start;
    while (now < until) {
      for (let i = 0; i < batch; i++) fn();
      ops += batch;
      now = performance.now();
      if (now - start < 5) batch *= 2;
    }
    results.push((cpuNow() - cpu0) / ops);
  }
  return median(results);
}

export async function microsPerOpAsync(fn: () => Promise<unknown>, budgetMs: number): Promise<number> {
  const warmUntil = performance.now() + budgetMs * 0.3;
  while (performance.now() < warmUntil) for (let i = 0; i < 20; i++) await fn();
  const results: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    let ops = 0;
    const start = performance.now();
    const until = start + (budgetMs * 0.7) / WINDOWS;
    const cpu0 = cpuNow();
    while (performance.now() < until) {
      for (let i = 0; i < 20; i++) await fn();
      ops += 20;
    }
    results.push((cpuNow() - cpu0) / ops);
  }
  return median(results);
}

/** CPU microseconds per call of an async `fn`, run back to back (and the wall time of the same window). */
export async function cpuMicrosPerOp(fn: () => Promise<unknown>, budgetMs: number): Promise<{ cpu: number; wall: number }> {
  const warmUntil = performance.now() + budgetMs * 0.3;
  while (performance.now() < warmUntil) await fn();
  const windows: { cpu: number; wall: number }[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    let ops = 0;
    const start = performance.now();
    const until = start + (budgetMs * 0.7) / WINDOWS;
    const cpu0 = cpuNow();
    while (performance.now() < until) {
      await fn();
      ops++;
    }
    windows.push({ cpu: (cpuNow() - cpu0) / ops, wall: ((performance.now() - start) * 1000) / ops });
  }
  windows.sort((a, b) => a.cpu - b.cpu);
  return windows[Math.floor(WINDOWS / 2)];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return '—';
  return n >= 100 ? n.toFixed(0) : n.toFixed(digits);
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
