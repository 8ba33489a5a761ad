/** Runs one suite case through an expression compiler and judges it by the suite's own rules. */
import { isDeepStrictEqual } from 'node:util';
import { ExpressionSyntaxError, type EvaluationLimits, type ExpressionCompiler } from '../../../engine/expression/index.js';
import { chaiDeepContains, chaiDeepEqual } from './chai-deep-equal.js';
import { inputOf, type Suite, type SuiteCase } from './jsonata-suite.js';

export type Outcome =
  | { kind: 'parse'; ok: boolean; detail?: string }
  | { kind: 'interpreted'; reason: string }
  | { kind: 'compiled'; ok: boolean; detail?: string; delegated?: boolean };

/** No guard unless the case asks for one, like the reference runner. */
export const UNLIMITED: EvaluationLimits = { timeoutMs: 0, maxDepth: 0 };

export function limitsOf(c: SuiteCase): EvaluationLimits {
  return c.timelimit !== undefined && c.depth !== undefined ? { timeoutMs: c.timelimit, maxDepth: c.depth } : UNLIMITED;
}

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}

export async function runCase(suite: Suite, c: SuiteCase, compiler: ExpressionCompiler): Promise<Outcome> {
  let expression;
  try {
    expression = compiler.compile(c.expr);
  } catch (err) {
    if (!(err instanceof ExpressionSyntaxError)) throw err;
    const ok = c.code === err.code && (!('token' in c) || c.token === err.token);
    return { kind: 'parse', ok, detail: ok ? undefined : `syntax error ${err.code} (${err.message}); expected ${c.code ?? 'a value'}` };
  }
  if (expression.mode !== 'compiled') return { kind: 'interpreted', reason: expression.fallbackReason ?? 'unknown' };

  const pristine = inputOf(suite, c);
  const input = structuredClone(pristine);
  const bindings = c.bindings && structuredClone(c.bindings);
  let result: unknown;
  let error: (Error & { code?: string; guard?: boolean }) | undefined;
  // A compiled evaluation answers synchronously, except one it hands to the interpreter at run time
  // (an error among concurrently evaluated constructor members, say; see concurrency.ts): awaited.
  let delegated = false;
  try {
    result = expression.evaluate(input, bindings);
    if (result instanceof Promise) {
      delegated = true;
      result = await result;
    }
  } catch (err) {
    error = err as Error & { code?: string };
  }
  const fail = (detail: string): Outcome => ({ kind: 'compiled', ok: false, detail, delegated });
  if (!isDeepStrictEqual(input, pristine)) return fail('the evaluation changed its input');
  const got = error ? `error ${error.code}: ${error.message}` : `result ${show(result)}`;
  const pass: Outcome = { kind: 'compiled', ok: true, delegated };
  if ('undefinedResult' in c) return !error && result === undefined ? pass : fail(`expected undefined, got ${got}`);
  if ('result' in c) return !error && chaiDeepEqual(result, c.result) ? pass : fail(`expected ${show(c.result)}, got ${got}`);
  if (c.error) return error && chaiDeepContains(error, c.error) ? pass : fail(`expected error ${show(c.error)}, got ${got}`);
  if (c.code) {
    // The reference runner's own time/depth guard throws U1001; ours are the interpreter's D1011/D1012.
    const ok = !!error && (error.code === c.code || (c.code === 'U1001' && error.guard === true));
    return ok ? pass : fail(`expected error ${c.code}, got ${got}`);
  }
  return fail('the case states no expectation');
}
