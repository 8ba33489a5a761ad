import { UnifiedError } from '../errors.js';
import { ExpressionError } from '../expression/errors.js';
import type { Bindings, Expression } from '../expression/types.js';

/**
 * Evaluates a definition's expression; any failure (including the time-box) is a definition error
 * for the operator, reported with the expression's file:line:col, never as a caller mistake.
 */
export async function evaluateOrFail(expr: Expression, input: unknown, bindings?: Bindings): Promise<unknown> {
  try {
    return await expr.evaluate(input, bindings);
  } catch (err) {
    throw definitionFailure(err);
  }
}

/**
 * `evaluateOrFail` without a promise when the expression answers synchronously (compiled ones do):
 * the value itself, or a promise of it from an interpreted expression. Callers await only a promise.
 */
export function evaluateNowOrFail(expr: Expression, input: unknown, bindings?: Bindings): unknown {
  let value: unknown;
  try {
    value = expr.evaluate(input, bindings);
  } catch (err) {
    throw definitionFailure(err);
  }
  return value instanceof Promise ? value.catch((err: unknown) => Promise.reject(definitionFailure(err))) : value;
}

function definitionFailure(err: unknown): UnifiedError {
  const e = err instanceof ExpressionError ? err : undefined;
  const where = e?.origin ? `${e.origin.file}:${e.origin.line}:${e.origin.col} (${e.origin.path})` : undefined;
  const what = e?.guard ? 'was stopped by the evaluation time/depth limit' : 'failed';
  return new UnifiedError('definition_error', `A mapping expression ${what}${where ? ` at ${where}` : ''}: ${e?.code ?? ''} ${(err as Error).message ?? err}`.replace(/\s+/g, ' ').trim(), {
    source: where,
    cause: err,
  });
}
