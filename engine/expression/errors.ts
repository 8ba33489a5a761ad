import type { ExpressionOrigin } from './types.js';

/**
 * jsonata throws plain objects ({code, position, token, message}); these wrap them in real errors
 * that keep the code and the position inside the expression, so callers can place them in the YAML.
 */
export class ExpressionSyntaxError extends Error {
  readonly code: string;
  /** 0-based character offset of the offending token's start inside the expression source. */
  readonly offset: number;
  readonly token?: string;
  readonly origin?: ExpressionOrigin;
  constructor(code: string, message: string, offset: number, token?: string, origin?: ExpressionOrigin) {
    super(message);
    this.name = 'ExpressionSyntaxError';
    this.code = code;
    this.offset = offset;
    this.token = token;
    this.origin = origin;
  }
}

export class ExpressionError extends Error {
  readonly code: string;
  readonly origin?: ExpressionOrigin;
  /** True when the evaluation was stopped by the time-box or the depth limit. */
  readonly guard: boolean;
  constructor(code: string, message: string, origin?: ExpressionOrigin, guard = false) {
    super(message);
    this.name = 'ExpressionError';
    this.code = code;
    this.origin = origin;
    this.guard = guard;
  }
}

interface JsonataThrown {
  code?: string;
  message?: string;
  position?: number;
  token?: unknown;
}

export function toSyntaxError(thrown: unknown, source: string, origin?: ExpressionOrigin): ExpressionSyntaxError {
  const t = (thrown ?? {}) as JsonataThrown;
  const token = typeof t.token === 'string' ? t.token : undefined;
  // jsonata reports the position just past the token; step back to its start so the column points at it.
  let offset = typeof t.position === 'number' ? t.position : 0;
  if (token === '(end)') offset -= 1;
  else if (token && offset >= token.length) {
    // A string token's value excludes its quotes, which the position counts: step back over them too.
    const quote = source[offset - 1];
    const quoted = (quote === '"' || quote === "'") && source[offset - token.length - 2] === quote && source.slice(offset - token.length - 1, offset - 1) === token;
    offset -= quoted ? token.length + 2 : token.length;
  }
  offset = Math.max(0, Math.min(offset, Math.max(0, source.length - 1)));
  return new ExpressionSyntaxError(t.code ?? 'S0000', t.message ?? String(thrown), offset, token, origin);
}

export const GUARD_CODES = new Set(['D1011', 'D1012', 'U1001']);

export function toEvaluationError(thrown: unknown, origin?: ExpressionOrigin): ExpressionError {
  if (thrown instanceof ExpressionError) return thrown;
  const t = (thrown ?? {}) as JsonataThrown;
  const code = t.code ?? 'EVAL';
  const message = t.message ?? (thrown instanceof Error ? thrown.message : String(thrown));
  const guard = GUARD_CODES.has(code) || (thrown instanceof RangeError && /call stack/i.test(message));
  return new ExpressionError(guard && thrown instanceof RangeError ? 'D1011' : code, message, origin, guard);
}
