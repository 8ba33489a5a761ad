/**
 * Runtime failures of compiled expressions. They carry the same fields as the objects the jsonata
 * interpreter throws ({code, value, token, …}), so one conversion turns either into an
 * `ExpressionError`, and messages read the same whichever evaluator ran.
 */
import { ExpressionError, GUARD_CODES } from '../errors.js';
import type { ExpressionOrigin } from '../types.js';
import { Lambda } from './callables.js';

export interface Fault {
  code: string;
  value?: unknown;
  value2?: unknown;
  token?: unknown;
  index?: number;
  type?: string;
  exp?: unknown;
  message?: string;
  functionName?: string;
  position?: number;
}

/** Plain objects, like the interpreter's: no stack capture on paths that fail often (predicates on odd data). */
export function fault(code: string, fields?: Omit<Fault, 'code'>): Fault {
  return fields ? { code, ...fields } : { code };
}

export function isFault(thrown: unknown): thrown is Fault {
  return typeof thrown === 'object' && thrown !== null && typeof (thrown as Fault).code === 'string';
}

// The interpreter's message catalogue for the codes compiled code can raise, so errors read the same.
const MESSAGES: Record<string, string> = {
  D1001: 'Number out of range: {{value}}',
  D1002: 'Cannot negate a non-numeric value: {{value}}',
  T1003: 'Key in object structure must evaluate to a string; got: {{value}}',
  D1004: 'Regular expression matches zero length string',
  T1005: 'Attempted to invoke a non-function. Did you mean ${{{token}}}?',
  T1006: 'Attempted to invoke a non-function',
  T1007: 'Attempted to partially apply a non-function. Did you mean ${{{token}}}?',
  T1008: 'Attempted to partially apply a non-function',
  D1009: 'Multiple key definitions evaluate to same key: {{value}}',
  T1010: 'The matcher function argument passed to function {{token}} does not return the correct object structure',
  D1011: 'Stack overflow. Check for non-terminating recursive function.  Consider rewriting as tail-recursive',
  D1012: 'Evaluation timeout after {{value}} milliseconds. Check for infinite loop',
  D1013: 'Object property names starting with _jsonata_ are reserved for internal use: {{value}}',
  T0410: 'Argument {{index}} of function {{token}} does not match function signature',
  T0411: 'Context value is not a compatible type with argument {{index}} of function {{token}}',
  T0412: 'Argument {{index}} of function {{token}} must be an array of {{type}}',
  T2001: 'The left side of the {{token}} operator must evaluate to a number',
  T2002: 'The right side of the {{token}} operator must evaluate to a number',
  T2003: 'The left side of the range operator (..) must evaluate to an integer',
  T2004: 'The right side of the range operator (..) must evaluate to an integer',
  T2006: 'The right side of the function application operator ~> must be a function',
  T2007: 'Type mismatch when comparing values {{value}} and {{value2}} in order-by clause',
  T2008: 'The expressions within an order-by clause must evaluate to numeric or string values',
  T2009: 'The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type',
  T2010: 'The expressions either side of operator {{token}} must evaluate to numeric or string values',
  T2011: 'The insert/update clause of the transform expression must evaluate to an object: {{value}}',
  T2012: 'The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}',
  T2013: 'The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function.',
  D2014: 'The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}.',
  D3001: 'Attempting to invoke string function on Infinity or NaN',
  D3010: 'Second argument of replace function cannot be an empty string',
  D3011: 'Fourth argument of replace function must evaluate to a positive number',
  D3012: 'Attempted to replace a matched string with a non-string value',
  D3020: 'Third argument of split function must evaluate to a positive number',
  D3030: 'Unable to cast value to a number: {{value}}',
  D3040: 'Third argument of match function must evaluate to a positive number',
  D3050: 'The second argument of reduce function must be a function with at least two arguments',
  D3060: 'The sqrt function cannot be applied to a negative number: {{value}}',
  D3061: 'The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}',
  D3070: 'The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function',
  D3100: 'The radix of the formatBase function must be between 2 and 36.  It was given {{value}}',
  D3137: '{{{message}}}',
  D3138: 'The $single() function expected exactly 1 matching result.  Instead it matched more.',
  D3139: 'The $single() function expected exactly 1 matching result.  Instead it matched 0.',
  D3140: 'Malformed URL passed to ${{{functionName}}}(): {{value}}',
  D3141: '{{{message}}}',
};

function messageOf(f: Fault): string {
  const template = MESSAGES[f.code];
  if (template === undefined) return f.message ?? f.code;
  const fields = f as unknown as Record<string, unknown>;
  return template
    .replace(/\{\{\{([^}]+)}}}/g, (_m, name: string) => String(fields[name]))
    .replace(/\{\{([^}]+)}}/g, (_m, name: string) => safeJson(fields[name]));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return String(value);
  }
}

/** An `ExpressionError` that also keeps the interpreter's `token` and `value`, for diagnostics. */
export class CompiledExpressionError extends ExpressionError {
  readonly token?: unknown;
  readonly value?: unknown;
  constructor(f: Fault, origin?: ExpressionOrigin) {
    super(f.code, messageOf(f), origin, GUARD_CODES.has(f.code));
    for (const [key, value] of Object.entries(f)) {
      if (key !== 'code' && key !== 'message' && value !== undefined) (this as unknown as Record<string, unknown>)[key] = value;
    }
  }
}

/**
 * Whether JSON.stringify would meet a lambda in `value`. The interpreter writes an error's message
 * with JSON.stringify of the fields its template names; its lambdas hold their scope, which is
 * circular, so a message that would show one fails with a TypeError instead of the error.
 */
function holdsLambda(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > 1000) return false;
  // A lambda, not data that merely carries the flag.
  if (value instanceof Lambda) return true;
  if (Array.isArray(value)) return value.some((v) => holdsLambda(v, depth + 1));
  return Object.keys(value).some((k) => holdsLambda((value as Record<string, unknown>)[k], depth + 1));
}

function messageFails(f: Fault): boolean {
  const template = MESSAGES[f.code];
  if (template === undefined) return false;
  for (const m of template.matchAll(/(?<!\{)\{\{([^{}]+)}}(?!})/g)) {
    if (holdsLambda((f as unknown as Record<string, unknown>)[m[1]])) return true;
  }
  return false;
}

/** Whatever a compiled evaluation threw, as the error the pipeline expects. */
export function toExpressionError(thrown: unknown, origin?: ExpressionOrigin): ExpressionError {
  if (thrown instanceof ExpressionError) return thrown;
  if (isFault(thrown) && messageFails(thrown)) return new ExpressionError('EVAL', 'Converting circular structure to JSON', origin, false);
  if (isFault(thrown)) return new CompiledExpressionError(thrown, origin);
  // A JavaScript stack overflow in deeply nested data is the depth guard's business, as in the interpreter.
  if (thrown instanceof RangeError && /call stack/i.test(thrown.message)) {
    return new ExpressionError('D1011', messageOf({ code: 'D1011' }), origin, true);
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ExpressionError('EVAL', message, origin, false);
}
