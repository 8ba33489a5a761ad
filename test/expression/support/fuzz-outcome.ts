/**
 * What the differential fuzzer compares: the outcome of one evaluation, as a canonical text. Stricter
 * than JSON: sequences and arrays are alike and functions are one marker, but -0, NaN, the
 * infinities, `undefined` (at the top, inside arrays and as a property's value) and key order all
 * count; an error is its code.
 */
import type { Expression } from '../../../engine/expression/index.js';

export type Outcome = { value: string } | { code: string; message?: string };

function isFunctionValue(value: unknown): boolean {
  return typeof value === 'function' || (!!value && typeof value === 'object' && ('_jsonata_lambda' in value || '_jsonata_function' in value));
}

export function canonical(value: unknown, depth = 0): string {
  if (depth > 500) return '<too deep>';
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (isFunctionValue(value)) return '<function>';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return String(value);
    case 'object': {
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) items.push(canonical(value[i], depth + 1));
        return `[${items.join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      return `{${Object.keys(record)
        .map((k) => `${JSON.stringify(k)}:${canonical(record[k], depth + 1)}`)
        .join(',')}}`;
    }
    default:
      return `<${typeof value}>`;
  }
}

export async function outcomeOf(expression: Expression, input: unknown, bindings: Record<string, unknown>): Promise<Outcome> {
  try {
    const result = expression.evaluate(input, bindings);
    return { value: canonical(result instanceof Promise ? await result : result) };
  } catch (err) {
    return { code: (err as { code?: string }).code ?? String(err), message: (err as Error)?.message };
  }
}

/** Same own keys (non-enumerable ones and an array's flags included) and the same values, whatever the prototypes. */
export function unchanged(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.getOwnPropertyNames(a);
  const kb = Object.getOwnPropertyNames(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && unchanged((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function show(o: Outcome): string {
  return 'code' in o ? `error ${o.code}` : o.value.length > 400 ? `${o.value.slice(0, 400)}…` : o.value;
}

/** The compiled evaluation's failure where the interpreter would never finish (a range past 2^53): not to be run on the interpreter. */
export function interpreterNeverEnds(o: Outcome): boolean {
  return 'code' in o && o.code === 'EVAL' && /beyond the safe integers/.test(o.message ?? '');
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return 'code' in a ? 'code' in b && a.code === b.code : 'value' in b && a.value === b.value;
}
