/**
 * Differential tests: every mapping expression of every integration, and a corpus of
 * mapping-shaped ones, evaluated compiled and interpreted on generated payloads. Results must be
 * the same JSON, errors the same code, and the compiled evaluation must leave its input as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompilingExpressionCompiler, JsonataInterpreter, type Expression } from '../../engine/expression/index.js';
import { shapeOf } from './support/expression-shape.js';
import { unchanged } from './support/fuzz-outcome.js';
import { integrationExpressions } from './support/integration-expressions.js';
import { mappingCorpus } from './support/mapping-corpus.js';
import { caseArbitrary } from './support/payloads.js';

const RUNS = Number(process.env.UNIMAP_DIFF_RUNS ?? 30);

/** Sequences and plain arrays alike become JSON arrays; functions become a marker. */
function normalise(value: unknown): unknown {
  if (typeof value === 'function' || (value && typeof value === 'object' && ('_jsonata_lambda' in value || '_jsonata_function' in value))) {
    return '<function>';
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

type Outcome = { value: string | undefined } | { code: string };

async function outcome(expression: Expression, input: unknown, bindings: Record<string, unknown>): Promise<Outcome> {
  try {
    return { value: JSON.stringify(normalise(await expression.evaluate(input, bindings))) };
  } catch (err) {
    return { code: (err as { code?: string }).code ?? String(err) };
  }
}

const compiler = new CompilingExpressionCompiler();
const interpreter = new JsonataInterpreter();

async function expectSame(source: string): Promise<void> {
  const compiled = compiler.compile(source);
  expect(compiled.mode, compiled.fallbackReason).toBe('compiled');
  const reference = interpreter.compile(source);
  const shape = shapeOf(source);
  await fc.assert(
    fc.asyncProperty(caseArbitrary(shape), async ({ input, bindings }) => {
      const snapshot = structuredClone({ input, bindings });
      const mine = await outcome(compiled, input, bindings);
      expect(unchanged({ input, bindings }, snapshot), 'the compiled evaluation changed its input').toBe(true);
      const theirs = await outcome(reference, structuredClone(input), structuredClone(bindings));
      // Clock and dice: only whether it failed, and how, can be compared.
      if (shape.nondeterministic) expect('code' in mine ? mine.code : 'value').toEqual('code' in theirs ? theirs.code : 'value');
      else expect(mine).toEqual(theirs);
    }),
    { numRuns: RUNS },
  );
}

const fromIntegrations = await integrationExpressions();

describe('compiled and interpreted agree on generated payloads', () => {
  it('finds the integrations\u2019 expressions', () => {
    expect(fromIntegrations.length).toBeGreaterThan(10);
  });

  describe.each(fromIntegrations.map((e) => [e.where, e.source]))('%s', (_where, source) => {
    it('agrees', () => expectSame(source));
  });

  describe.each(mappingCorpus.map((source) => [source]))('corpus: %s', (source) => {
    it('agrees', () => expectSame(source));
  });
});
