/**
 * Differential fuzzer: random mapping-shaped expressions (support/expression-generator.ts) with
 * random data and bindings, through the compiler (its closures and its generated JavaScript) and
 * the jsonata interpreter. Wherever the compiler accepts an expression, both must give the same
 * value (as support/fuzz-outcome.ts compares them: stricter than JSON) or the same error code,
 * twice in a row from the same compiled expression, and the compiled evaluation must leave its
 * input and bindings exactly as they were.
 *
 * Reproducible: `UNIMAP_FUZZ_SEED` (default fixed) and `UNIMAP_FUZZ_RUNS` (default 400) choose the
 * cases; `UNIMAP_FUZZ_DEPTH` the nesting (default 3). A failure prints fast-check's shrunk case.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CompilingExpressionCompiler, ExpressionSyntaxError, JsonataInterpreter, type Expression } from '../../engine/expression/index.js';
import { fuzzCaseArbitrary, type FuzzCase } from './support/expression-generator.js';
import { interpreterNeverEnds, outcomeOf, sameOutcome, show, unchanged } from './support/fuzz-outcome.js';

const SEED = Number(process.env.UNIMAP_FUZZ_SEED ?? 20250601);
const RUNS = Number(process.env.UNIMAP_FUZZ_RUNS ?? 400);
const DEPTH = Number(process.env.UNIMAP_FUZZ_DEPTH ?? 3);

/** Closures only, and generated code from the first evaluation: both back ends of the compiler. */
const compilers = [new CompilingExpressionCompiler(undefined, undefined, false), new CompilingExpressionCompiler(undefined, undefined, 0)];
const interpreter = new JsonataInterpreter();
/**
 * Tight depth limits too: where the interpreter's depth guard trips (it counts constructor members
 * evaluated concurrently together) must be matched, or the evaluation left to it.
 */
const TIGHT_LIMITS = [3, 5, 8, 12, 20];
const tight = new Map(
  TIGHT_LIMITS.map((maxDepth) => {
    const limits = { timeoutMs: 1000, maxDepth };
    return [maxDepth, { compilers: [new CompilingExpressionCompiler(limits, undefined, false), new CompilingExpressionCompiler(limits, undefined, 0)], interpreter: new JsonataInterpreter(limits) }];
  }),
);

const counts = { cases: 0, parsed: 0, compiled: 0 };

/** Why the compiled evaluations differ from the interpreter's on this case; undefined when they agree (or it is not compiled). */
async function difference(c: FuzzCase, mine: CompilingExpressionCompiler[], reference: JsonataInterpreter, count: boolean): Promise<string | undefined> {
  let interpreted: Expression;
  try {
    interpreted = reference.compile(c.expression);
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return undefined;
    throw err;
  }
  const expressions = mine.map((m) => m.compile(c.expression));
  if (count) {
    counts.parsed++;
    if (expressions[0].mode === 'compiled') counts.compiled++;
  }
  if (expressions.some((e) => e.mode !== 'compiled')) return undefined;
  // A range past 2^53 never ends in the interpreter (it grows an array until the process dies): not run there.
  if (interpreterNeverEnds(await outcomeOf(expressions[0], structuredClone(c.input), structuredClone(c.bindings)))) return undefined;
  const theirs = await outcomeOf(interpreted, structuredClone(c.input), structuredClone(c.bindings));
  // The time-box depends on the speed of the code; nothing to compare.
  if ('code' in theirs && theirs.code === 'D1012') return undefined;
  for (const [i, e] of expressions.entries()) {
    const which = i === 0 ? 'closures' : 'generated code';
    for (const run of ['first', 'second']) {
      const input = structuredClone(c.input);
      const bindings = structuredClone(c.bindings);
      const got = await outcomeOf(e, input, bindings);
      if (!unchanged({ input, bindings }, { input: c.input, bindings: c.bindings })) return `${which} (${run} evaluation) changed its input or bindings`;
      if (!sameOutcome(got, theirs)) return `${which} (${run} evaluation) gave ${show(got)}, the interpreter ${show(theirs)}`;
    }
  }
  return undefined;
}

describe('differential fuzzing: compiled against interpreted', () => {
  afterAll(() => {
    const share = counts.compiled / Math.max(1, counts.parsed);
    console.log(
      `[unimap] fuzz (seed ${SEED}, ${RUNS} runs, depth ${DEPTH}): ${counts.cases} cases, ${counts.parsed} parsed, ` +
        `${counts.compiled} compiled (${(share * 100).toFixed(1)}% accepted by the compiler)`,
    );
  });

  it('gives the interpreter’s answers on random mapping-shaped expressions and data', async () => {
    let why: string | undefined;
    await fc.assert(
      fc.asyncProperty(fuzzCaseArbitrary(DEPTH), async (c) => {
        counts.cases++;
        why = await difference(c, compilers, interpreter, true);
        expect(why, `${c.expression}\n  input ${JSON.stringify(c.input)}\n  bindings ${JSON.stringify(c.bindings)}`).toBeUndefined();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('and under tight depth limits, where concurrently evaluated members add up', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCaseArbitrary(DEPTH), fc.constantFrom(...TIGHT_LIMITS), async (c, maxDepth) => {
        const { compilers: mine, interpreter: reference } = tight.get(maxDepth)!;
        const why = await difference(c, mine, reference, false);
        expect(why, `maxDepth ${maxDepth}: ${c.expression}\n  input ${JSON.stringify(c.input)}\n  bindings ${JSON.stringify(c.bindings)}`).toBeUndefined();
      }),
      { seed: SEED + 1, numRuns: Math.ceil(RUNS / 2) },
    );
  }, 120_000);
});
