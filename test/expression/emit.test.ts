/**
 * The generated-JavaScript back end (engine/expression/compiler/emit.ts) against the closures it
 * stands in for: every case of the JSONata reference suite, every integration expression and the
 * mapping corpus, on the suite's inputs and on generated payloads. Same result (as the suite
 * compares them, and as JSON), or the same error: code, message, position and token.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CompilingExpressionCompiler, type EvaluationLimits, type Expression } from '../../engine/expression/index.js';
import { describeWithShared, sharedPath } from '../support/shared-dir.js';
import { shapeOf } from './support/expression-shape.js';
import { integrationExpressions } from './support/integration-expressions.js';
import { inputOf, loadSuite } from './support/jsonata-suite.js';
import { mappingCorpus } from './support/mapping-corpus.js';
import { caseArbitrary } from './support/payloads.js';
import { limitsOf } from './support/run-case.js';

type Outcome = { value: unknown } | { error: Record<string, unknown> };

/** An evaluation handed to the interpreter (an error among concurrent constructor members) answers with a promise. */
async function run(expression: Expression, input: unknown, bindings: Record<string, unknown> | undefined): Promise<Outcome> {
  try {
    const value = expression.evaluate(input, bindings);
    return { value: value instanceof Promise ? await value : value };
  } catch (err) {
    const e = err as Record<string, unknown>;
    return { error: { name: (err as Error).name, message: (err as Error).message, code: e.code, position: e.position, token: e.token, value: plain(e.value), guard: e.guard } };
  }
}

/** As the suite and callers see values: arrays with their flags, functions as a marker. */
function plain(value: unknown, depth = 0): unknown {
  if (depth > 50) return '<deep>';
  if (typeof value === 'function' || (value && typeof value === 'object' && ('_jsonata_lambda' in value || '_jsonata_function' in value))) return '<function>';
  if (Array.isArray(value)) {
    const a = value as unknown[] & Record<string, unknown>;
    return { items: value.map((v) => plain(v, depth + 1)), sequence: a.sequence === true, keepSingleton: a.keepSingleton === true, cons: a.cons === true };
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, depth + 1)]));
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return value;
}

function comparable(outcome: Outcome): unknown {
  return 'error' in outcome ? outcome : { value: plain(outcome.value) };
}

const compilers = new Map<string, [CompilingExpressionCompiler, CompilingExpressionCompiler]>();
function pair(limits: EvaluationLimits): [CompilingExpressionCompiler, CompilingExpressionCompiler] {
  const key = `${limits.timeoutMs}/${limits.maxDepth}`;
  let found = compilers.get(key);
  if (!found) compilers.set(key, (found = [new CompilingExpressionCompiler(limits, undefined, 0), new CompilingExpressionCompiler(limits, undefined, false)]));
  return found;
}

describeWithShared(
  'generated code against closures, on the JSONata suite',
  () => {
    it('gives the same answer or the same error for every compiled case', async () => {
      const suite = loadSuite(sharedPath('jsonata-test-suite'));
      const differences: string[] = [];
      let compared = 0;
      for (const c of suite.cases) {
        // Clock and dice cannot be compared, nor the time-box, which depends on the speed of the code.
        if (/\$(now|millis|random)\b/.test(c.expr) || c.timelimit !== undefined) continue;
        const [emitted, closures] = pair(limitsOf(c));
        let a: Expression;
        let b: Expression;
        try {
          a = emitted.compile(c.expr);
          b = closures.compile(c.expr);
        } catch {
          continue;
        }
        if (a.mode !== 'compiled') continue;
        compared++;
        const mine = comparable(await run(a, structuredClone(inputOf(suite, c)), c.bindings && structuredClone(c.bindings)));
        const theirs = comparable(await run(b, structuredClone(inputOf(suite, c)), c.bindings && structuredClone(c.bindings)));
        if (!isDeepStrictEqual(mine, theirs)) differences.push(`${c.id}: ${c.expr.slice(0, 120)}\n  emitted ${JSON.stringify(mine)?.slice(0, 300)}\n  closures ${JSON.stringify(theirs)?.slice(0, 300)}`);
      }
      expect(compared).toBeGreaterThan(1500);
      expect(differences, differences.join('\n')).toEqual([]);
    }, 60_000);
  },
  { requires: [['jsonata-test-suite', 'groups']] },
);

describe('generated code against closures, on mapping-shaped expressions and generated payloads', () => {
  const [emitted, closures] = pair({ timeoutMs: 1000, maxDepth: 200 });

  async function expectSame(source: string): Promise<void> {
    const a = emitted.compile(source);
    const b = closures.compile(source);
    expect(a.mode).toBe(b.mode);
    if (a.mode !== 'compiled') return;
    await fc.assert(
      fc.asyncProperty(caseArbitrary(shapeOf(source)), async ({ input, bindings }) => {
        const mine = comparable(await run(a, structuredClone(input), structuredClone(bindings)));
        const theirs = comparable(await run(b, structuredClone(input), structuredClone(bindings)));
        expect(mine).toEqual(theirs);
      }),
      { numRuns: 40 },
    );
  }

  it.each(mappingCorpus)('%s', (source) => expectSame(source));

  it('every expression of every integration', async () => {
    for (const { where, source } of await integrationExpressions()) {
      if (/\$(now|millis|random)\b/.test(source)) continue;
      await expectSame(source).catch((err: Error) => {
        throw new Error(`${where}: ${err.message}`);
      });
    }
  }, 60_000);

  it('a binding that hides a built-in reaches the binding, in generated code too', () => {
    const e = emitted.compile('{"t": $type(x), "n": $count(items)}');
    expect(e.evaluate({ x: 1, items: [1, 2] })).toEqual({ t: 'number', n: 2 });
    expect(e.evaluate({ x: 1, items: [1, 2] }, { type: () => 'mine' })).toEqual({ t: 'mine', n: 2 });
  });

  it('names and literals are data in the generated source, never code', async () => {
    const hostile = ['"}); throw 1; ({"', '\u2028', '${process.exit()}', '*/ x /*', "\\'\"", 'k[0](h)', '\n}\nreturn 1;//'];
    for (const h of hostile) {
      const source = `{ ${JSON.stringify(h)}: \`${h.replace(/`/g, '')}\`, "b": $${'x'} = ${JSON.stringify(h)} }`;
      const a = emitted.compile(source);
      const b = closures.compile(source);
      const input = { [h.replace(/`/g, '')]: h };
      expect(await run(a, input, { x: h })).toEqual(await run(b, input, { x: h }));
    }
  });
});
