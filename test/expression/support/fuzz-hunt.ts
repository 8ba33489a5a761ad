/**
 * Bug hunting by hand (not a test), beyond what fuzz.test.ts runs by default:
 *
 *   npx tsx test/expression/support/fuzz-hunt.ts RUNS SEED... [--depth N] [--max-depth N]
 *
 * Samples fuzz cases (`--depth`: nesting of the generated expressions; `--max-depth`: the
 * evaluation depth limit, default the product's), collects every case where the compiled
 * evaluators (closures, generated code) differ from the interpreter, groups them by kind and
 * prints the shortest of each. fuzz.test.ts with UNIMAP_FUZZ_SEED/UNIMAP_FUZZ_RUNS shrinks one.
 */
import fc from 'fast-check';
import { CompilingExpressionCompiler, ExpressionSyntaxError, JsonataInterpreter, type EvaluationLimits } from '../../../engine/expression/index.js';
import { fuzzCaseArbitrary, type FuzzCase } from './expression-generator.js';
import { interpreterNeverEnds, outcomeOf, sameOutcome, show, unchanged } from './fuzz-outcome.js';

const args = process.argv.slice(2);
const option = (name: string): number | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(args[i + 1]);
  args.splice(i, 2);
  return value;
};
const depth = option('--depth') ?? 3;
const maxDepth = option('--max-depth');
const [runs = 2000, ...seeds] = args.map(Number);
if (seeds.length === 0) seeds.push(1);

const limits: EvaluationLimits | undefined = maxDepth === undefined ? undefined : { timeoutMs: 1000, maxDepth };
const compilers = { closures: new CompilingExpressionCompiler(limits, undefined, false), 'generated code': new CompilingExpressionCompiler(limits, undefined, 0) };
const interpreter = new JsonataInterpreter(limits);

const found = new Map<string, { c: FuzzCase; detail: string }[]>();
const fallbacks = new Map<string, number>();
const counts = { cases: 0, parsed: 0, compiled: 0 };

function record(kind: string, c: FuzzCase, detail: string): void {
  const list = found.get(kind) ?? [];
  list.push({ c, detail });
  found.set(kind, list);
}

async function check(c: FuzzCase): Promise<void> {
  counts.cases++;
  let reference;
  try {
    reference = interpreter.compile(c.expression);
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return;
    throw err;
  }
  counts.parsed++;
  const first = compilers.closures.compile(c.expression);
  if (first.mode !== 'compiled') {
    fallbacks.set(first.fallbackReason ?? '?', (fallbacks.get(first.fallbackReason ?? '?') ?? 0) + 1);
    return;
  }
  counts.compiled++;
  if (interpreterNeverEnds(await outcomeOf(first, structuredClone(c.input), structuredClone(c.bindings)))) return;
  const theirs = await outcomeOf(reference, structuredClone(c.input), structuredClone(c.bindings));
  if ('code' in theirs && theirs.code === 'D1012') return;
  for (const [which, compiler] of Object.entries(compilers)) {
    const expression = compiler.compile(c.expression);
    for (const run of ['first', 'second']) {
      const input = structuredClone(c.input);
      const bindings = structuredClone(c.bindings);
      const mine = await outcomeOf(expression, input, bindings);
      if (!unchanged({ input, bindings }, { input: c.input, bindings: c.bindings })) record(`${which}: changed its input`, c, '');
      if (!sameOutcome(mine, theirs)) {
        const kind = `${which} (${run} evaluation): ${'code' in mine ? mine.code : 'value'} where the interpreter gave ${'code' in theirs ? theirs.code : 'a value'}`;
        record(kind, c, `compiled ${show(mine)} / interpreter ${show(theirs)}`);
      }
    }
  }
}

for (const seed of seeds) for (const c of fc.sample(fuzzCaseArbitrary(depth), { seed, numRuns: runs })) await check(c);

console.log(`${counts.cases} cases, ${counts.parsed} parsed, ${counts.compiled} compiled (${((100 * counts.compiled) / Math.max(1, counts.parsed)).toFixed(1)}%)`);
for (const [reason, n] of [...fallbacks].sort((a, b) => b[1] - a[1])) console.log(`  interpreted ${n} × ${reason}`);
for (const [kind, list] of found) {
  list.sort((a, b) => a.c.expression.length - b.c.expression.length);
  console.log(`\n${kind}: ${list.length} case(s), the shortest:`);
  for (const { c, detail } of list.slice(0, 3)) {
    console.log(`  ${c.expression}\n    input ${JSON.stringify(c.input)?.slice(0, 300)}\n    bindings ${JSON.stringify(c.bindings).slice(0, 200)}\n    ${detail}`);
  }
}
if (found.size === 0) console.log('no differences');
