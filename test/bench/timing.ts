/** Small, bounded timing helpers: every measurement runs for a time budget, not a count. */

/** Microseconds per call of `fn`, after a warm-up, measured over about `budgetMs`. */
export function microsPerOp(fn: () => unknown, budgetMs: number): number {
  const warmUntil = performance.now() + budgetMs * 0.3;
  while (performance.now() < warmUntil) for (let i = 0; i < 100; i++) fn();
  let ops = 0;
  let batch = 100;
  const start = performance.now();
  const until = start + budgetMs * 0.7;
  let now = start;
  while (now < until) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    now = performance.now();
    if (now - start < 5) batch *= 2;
  }
  return ((now - start) * 1000) / ops;
}

export async function microsPerOpAsync(fn: () => Promise<unknown>, budgetMs: number): Promise<number> {
  const warmUntil = performance.now() + budgetMs * 0.3;
  while (performance.now() < warmUntil) for (let i = 0; i < 20; i++) await fn();
  let ops = 0;
  const start = performance.now();
  const until = start + budgetMs * 0.7;
  let now = start;
  while (now < until) {
    for (let i = 0; i < 20; i++) await fn();
    ops += 20;
    now = performance.now();
  }
  return ((now - start) * 1000) / ops;
}

/** CPU microseconds (user + system) per call of an async `fn`, run back to back. */
export async function cpuMicrosPerOp(fn: () => Promise<unknown>, budgetMs: number): Promise<{ cpu: number; wall: number }> {
  const warmUntil = performance.now() + budgetMs * 0.3;
  while (performance.now() < warmUntil) await fn();
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const until = start + budgetMs * 0.7;
  while (performance.now() < until) {
    await fn();
    ops++;
  }
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu0);
  return { cpu: (used.user + used.system) / ops, wall: (wall * 1000) / ops };
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
