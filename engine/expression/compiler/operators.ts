/** Binary and unary operators, with the interpreter's type rules and error codes. */
import { fault } from './faults.js';
import type { Code, Env } from './scope.js';
import { isDeepEqual, isNumeric, stringify, truthy } from './values.js';

type Binary = (lhs: any, rhs: any, env: Env) => any;

function arithmetic(op: string): Binary {
  const check = (lhs: unknown, rhs: unknown): boolean => {
    if (lhs !== undefined && !isNumeric(lhs)) throw fault('T2001', { value: lhs, token: op });
    if (rhs !== undefined && !isNumeric(rhs)) throw fault('T2002', { value: rhs, token: op });
    return lhs !== undefined && rhs !== undefined;
  };
  switch (op) {
    case '+':
      return (l, r) => (check(l, r) ? l + r : undefined);
    case '-':
      return (l, r) => (check(l, r) ? l - r : undefined);
    case '*':
      return (l, r) => (check(l, r) ? l * r : undefined);
    case '/':
      return (l, r) => (check(l, r) ? l / r : undefined);
    default:
      return (l, r) => (check(l, r) ? l % r : undefined);
  }
}

function comparison(op: string): Binary {
  const compare = (lhs: unknown, rhs: unknown): boolean => {
    const ltype = typeof lhs;
    const rtype = typeof rhs;
    const lcomparable = ltype === 'undefined' || ltype === 'string' || ltype === 'number';
    const rcomparable = rtype === 'undefined' || rtype === 'string' || rtype === 'number';
    if (!lcomparable || !rcomparable) {
      throw fault('T2010', { value: !(ltype === 'string' || ltype === 'number') ? lhs : rhs, token: op });
    }
    if (ltype === 'undefined' || rtype === 'undefined') return false;
    if (ltype !== rtype) throw fault('T2009', { value: lhs, value2: rhs, token: op });
    return true;
  };
  switch (op) {
    case '<':
      return (l, r) => (compare(l, r) ? l < r : undefined);
    case '<=':
      return (l, r) => (compare(l, r) ? l <= r : undefined);
    case '>':
      return (l, r) => (compare(l, r) ? l > r : undefined);
    default:
      return (l, r) => (compare(l, r) ? l >= r : undefined);
  }
}

const MAX_RANGE = 1e7;

/** The message of the error a range past the safe integers fails with (see `range`). */
export const UNSAFE_RANGE = 'Invalid array length: a range beyond the safe integers, which the interpreter never finishes';

function range(lhs: unknown, rhs: unknown): unknown {
  if (lhs !== undefined && !Number.isInteger(lhs)) throw fault('T2003', { value: lhs });
  if (rhs !== undefined && !Number.isInteger(rhs)) throw fault('T2004', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  const from = lhs as number;
  const to = rhs as number;
  if (from > to) return undefined;
  const size = to - from + 1;
  if (size > MAX_RANGE) throw fault('D2014', { value: size });
  // Past 2^53 adding one no longer moves a number: the interpreter's loop never ends (it grows its
  // array until the process dies). Failing is the nearest we can come to that.
  if (from < -Number.MAX_SAFE_INTEGER || to > Number.MAX_SAFE_INTEGER) throw new RangeError(UNSAFE_RANGE);
  const result = new Array(size) as number[] & { sequence?: boolean };
  for (let item = from, index = 0; item <= to; item++, index++) result[index] = item;
  result.sequence = true;
  return result;
}

function includes(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  const list = Array.isArray(rhs) ? rhs : [rhs];
  for (let i = 0; i < list.length; i++) if (list[i] === lhs) return true;
  return false;
}

function concat(lhs: unknown, rhs: unknown): string {
  return (lhs === undefined ? '' : (stringify(lhs) as string)) + (rhs === undefined ? '' : (stringify(rhs) as string));
}

export function binaryOperator(op: string): Binary | undefined {
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(op);
    case '=':
      return (l, r) => (l === undefined || r === undefined ? false : isDeepEqual(l, r));
    case '!=':
      return (l, r) => (l === undefined || r === undefined ? false : !isDeepEqual(l, r));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(op);
    case '&':
      return concat;
    case '..':
      return range;
    case 'in':
      return includes;
    default:
      return undefined;
  }
}

/** `and` / `or`: the right side is evaluated only when it decides the answer. */
export function booleanOperator(op: 'and' | 'or', lhs: Code, rhs: Code): Code {
  return op === 'and'
    ? (input, env) => truthy(lhs(input, env)) && truthy(rhs(input, env))
    : (input, env) => truthy(lhs(input, env)) || truthy(rhs(input, env));
}

export function negate(expression: Code): Code {
  return (input, env) => negateValue(expression(input, env));
}

export function negateValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (isNumeric(value)) return -value;
  throw fault('D1002', { value, token: '-' });
}
