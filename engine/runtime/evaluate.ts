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
    const e = err instanceof ExpressionError ? err : undefined;
    const where = e?.origin ? `${e.origin.file}:${e.origin.line}:${e.origin.col} (${e.origin.path})` : undefined;
    const what = e?.guard ? 'was stopped by the evaluation time/depth limit' : 'failed';
    throw new UnifiedError('definition_error', `A mapping expression ${what}${where ? ` at ${where}` : ''}: ${e?.code ?? ''} ${(err as Error).message ?? err}`.replace(/\s+/g, ' ').trim(), {
      source: where,
      cause: err,
    });
  }
}
