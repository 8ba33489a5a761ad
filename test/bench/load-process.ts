/**
 * A closed-loop load generator in a process of its own: `concurrency` callers, each sending its
 * next request when the previous answer is read, for `durationMs` after a warm-up. Uses undici's
 * Pool (dispatcher API). Reports count, errors, latency percentiles and the CPU time it used for the
 * job to the parent.
 */
import { Pool } from 'undici';

interface Job {
  origin: string;
  paths: string[];
  headers: Record<string, string>;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Keep running for more jobs (until the parent disconnects) instead of exiting after this one. */
  reuse?: boolean;
}

process.on('message', async (job: Job) => {
  const cpu0 = process.cpuUsage();
  const pool = new Pool(job.origin, { connections: job.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let recording = false;
  const stopAt = Date.now() + job.warmupMs + job.durationMs;
  const caller = async () => {
    while (Date.now() < stopAt) {
      const path = job.paths[next++ % job.paths.length];
      const started = performance.now();
      try {
        const res = await pool.request({ method: 'GET', path, headers: job.headers });
        await res.body.text();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      if (recording) latencies.push(performance.now() - started);
    }
  };
  const callers = Array.from({ length: job.concurrency }, caller);
  setTimeout(() => {
    recording = true;
  }, job.warmupMs);
  await Promise.all(callers);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const cpu = process.cpuUsage(cpu0);
  const result = { requests: latencies.length, errors, seconds: job.durationMs / 1000, p50: pick(50), p99: pick(99), cpuMicros: cpu.user + cpu.system };
  // A reused generator (warm JIT, no start-up per run) waits for the next job until disconnected.
  if (job.reuse) process.send?.(result);
  else process.send?.(result, () => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
