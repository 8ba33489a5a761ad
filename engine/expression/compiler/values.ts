/** Value semantics shared by operators and functions: numbers, truth, equality, text, types. */
import { fault } from './faults.js';

/** A finite number; infinities are an error wherever the interpreter tests for a number. */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== 'number' || n !== n) return false;
  if (n === Infinity || n === -Infinity) throw fault('D1001', { value: n });
  return true;
}

export function isFunction(arg: any): boolean {
  const type = typeof arg;
  if (type === 'function') return true;
  if (type !== 'object' || arg === null) return false;
  return arg._jsonata_function === true || arg._jsonata_lambda === true;
}

export function isLambda(arg: any): boolean {
  return !!arg && arg._jsonata_lambda === true;
}

export function isArrayOfStrings(arg: unknown): boolean {
  if (!Array.isArray(arg)) return false;
  for (let i = 0; i < arg.length; i++) if (typeof arg[i] !== 'string') return false;
  return true;
}

export function isArrayOfNumbers(arg: unknown): boolean {
  if (!Array.isArray(arg)) return false;
  for (let i = 0; i < arg.length; i++) if (!isNumeric(arg[i])) return false;
  return true;
}

export function keysOf(arg: unknown): string[] {
  return typeof arg === 'object' && arg !== null ? Object.keys(arg) : [];
}

/** JSONata's effective boolean value (`$boolean`); undefined stays undefined. */
export function toBoolean(arg: any): boolean | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'boolean') return arg;
  if (typeof arg === 'string') return arg.length > 0;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0]);
    // Every item is tested, as in the interpreter, so an infinity anywhere still raises D1001.
    let any = false;
    for (let i = 0; i < arg.length; i++) if (toBoolean(arg[i])) any = true;
    return any;
  }
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFunction(arg)) return Object.keys(arg).length > 0;
  return false;
}

/** Truth for `and`, `or`, conditions' fallbacks: undefined is false. */
export function truthy(arg: unknown): boolean {
  return toBoolean(arg) === true;
}

export function isDeepEqual(lhs: any, rhs: any): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    // Two lambdas are equal only if they are the same one: the interpreter's always differ (each has
    // an `apply` of its own), ours could look alike field by field. (A lambda's body is code; data
    // that merely carries the flag compares as data.)
    if ((lhs._jsonata_lambda === true && typeof lhs.body === 'function') || (rhs._jsonata_lambda === true && typeof rhs.body === 'function')) return false;
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!isDeepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    let lkeys = Object.getOwnPropertyNames(lhs);
    let rkeys = Object.getOwnPropertyNames(rhs);
    if (lkeys.length !== rkeys.length) return false;
    lkeys = lkeys.sort();
    rkeys = rkeys.sort();
    for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
    for (let i = 0; i < lkeys.length; i++) if (!isDeepEqual(lhs[lkeys[i]], rhs[lkeys[i]])) return false;
    return true;
  }
  return false;
}

function stringifyReplacer(_key: string, val: any): unknown {
  if (val !== undefined && val !== null && isNumeric(val)) {
    return !Number.isInteger(val) ? Number(val.toPrecision(15)) : val;
  }
  return val && isFunction(val) ? '' : val;
}

/**
 * `$string` and the text side of `&`: numbers keep 15 significant digits (so 0.1 + 0.2 reads
 * "0.3"), functions read as "", everything else is JSON.
 */
export function stringify(arg: any, prettify = false): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'number') {
    if (!isFinite(arg)) throw fault('D3001', { value: arg });
    return String(Number.isInteger(arg) ? arg : Number(arg.toPrecision(15)));
  }
  if (isFunction(arg)) return '';
  if (Array.isArray(arg) && (arg as { outerWrapper?: boolean }).outerWrapper) arg = arg[0];
  return JSON.stringify(arg, stringifyReplacer, prettify ? 2 : 0);
}

export function typeOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  if (isNumeric(value)) return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (isFunction(value)) return 'function';
  return 'object';
}

/** How many arguments a function value takes, as the higher-order functions decide what to pass. */
export function arityOf(func: any): number {
  if (typeof func.arity === 'number') return func.arity;
  if (typeof func.implementation === 'function') return func.implementation.length;
  if (typeof func.length === 'number') return func.length;
  return func.arguments.length;
}
