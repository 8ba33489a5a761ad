/**
 * `npm run bench` (not part of `npm test`): the expression compiler and the engine around it,
 * measured side by side in one run, with the machine described. Bounded to about a minute:
 * BENCH_SECONDS scales every section (default 1).
 */
import { describeMachine } from './machine.js';
import { benchMappings } from './mappings.js';
import { benchPage } from './page.js';
import { benchServer } from './server.js';
import { benchStartup } from './startup.js';

const SCALE = Number(process.env.BENCH_SECONDS ?? 1);
/** BENCH_ONLY=server (or expressions, page, start-up): run only the sections whose title contains it. */
const ONLY = process.env.BENCH_ONLY?.trim().toLowerCase();
const started = performance.now();

function section(title: string, body: string): void {
  console.log(`\n## ${title}\n\n${body}`);
}

async function guarded(title: string, run: () => Promise<string> | string): Promise<void> {
  if (ONLY && !title.toLowerCase().includes(ONLY)) return;
  const t = performance.now();
  try {
    section(title, await run());
  } catch (err) {
    section(title, `FAILED: ${(err as Error).stack ?? err}`);
  }
  console.log(`\n(${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

console.log(`# unimap benchmark\n\nMachine: ${describeMachine()}\nDate: ${new Date().toISOString()}`);
await guarded('1. Okta expressions: µs per evaluation', async () => (await benchMappings(8_000 * SCALE)).text);
await guarded('2. A 200-user page, and engine CPU per call', () => benchPage(6_000 * SCALE));
await guarded('3. Start-up: createEngine with every integration', () => benchStartup(3));
await guarded('4. Server throughput against a minimal gateway', () =>
  benchServer({ warmupMs: 1_000 * SCALE, durationMs: 3_000 * SCALE, concurrencies: [1, 50] }),
);
console.log(`\nTotal: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
