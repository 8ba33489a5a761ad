/**
 * Depth-guard probe, by hand (not a test; slow): `npx tsx test/expression/support/fuzz-depth.ts RUNS SEED...`.
 * For each random case, raises the depth limit from 1 until the interpreter stops failing with
 * D1011, and checks the compiled evaluators give its outcome at every step (so the interpreter's
 * depth counting, concurrent constructor members included, is matched exactly, or left to it).
 */
import fc from 'fast-check';
import { CompilingExpressionCompiler, ExpressionSyntaxError, JsonataInterpreter } from '../../../engine/expression/index.js';
import { fuzzCaseArbitrary, type FuzzCase } from './expression-generator.js';
import { interpreterNeverEnds, outcomeOf, sameOutcome, show } from './fuzz-outcome.js';

const runs = Number(process.argv[2] ?? 300);
const seeds = process.argv.slice(3).map(Number);
const MAX = 40;
const compilers = new Map<number, [CompilingExpressionCompiler, CompilingExpressionCompiler, JsonataInterpreter]>();
function at(d: number) {
  let c = compilers.get(d);
  const limits = { timeoutMs: 2000, maxDepth: d };
  if (!c) compilers.set(d, (c = [new CompilingExpressionCompiler(limits, undefined, false), new CompilingExpressionCompiler(limits, undefined, 0), new JsonataInterpreter(limits)]));
  return c;
}

async function probe(c: FuzzCase): Promise<string | undefined> {
  try { at(MAX)[2].compile(c.expression); } catch (e) { if (e instanceof ExpressionSyntaxError) return undefined; throw e; }
  const first = at(200)[0].compile(c.expression);
  if (first.mode !== 'compiled') return undefined;
  if (interpreterNeverEnds(await outcomeOf(first, structuredClone(c.input), structuredClone(c.bindings)))) return undefined;
  for (let d = 1; d <= MAX; d++) {
    const [a, b, ref] = at(d);
    const theirs = await outcomeOf(ref.compile(c.expression), structuredClone(c.input), structuredClone(c.bindings));
    if ('code' in theirs && theirs.code === 'D1012') return undefined;
    for (const m of [a, b]) {
      const mine = await outcomeOf(m.compile(c.expression), structuredClone(c.input), structuredClone(c.bindings));
      if (!sameOutcome(mine, theirs)) return `at depth ${d}: compiled ${show(mine)} / reference ${show(theirs)}`;
    }
    if (!('code' in theirs && theirs.code === 'D1011')) return undefined;
  }
  return undefined;
}

for (const seed of seeds) {
  let why: string | undefined;
  const r = await fc.check(fc.asyncProperty(fuzzCaseArbitrary(3), async (c) => { why = await probe(c); return why === undefined; }), { seed, numRuns: runs });
  if (r.failed) {
    const c = r.counterexample![0] as FuzzCase;
    why = await probe(c);
    console.log(`seed ${seed}: ${c.expression}\n  input ${JSON.stringify(c.input)}\n  bindings ${JSON.stringify(c.bindings)}\n  ${why}`);
  } else console.log(`seed ${seed}: clean`);
}
