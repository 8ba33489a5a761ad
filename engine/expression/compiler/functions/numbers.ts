/** Numeric functions and aggregates. */
import { fault } from '../faults.js';
import { define } from './define.js';

function round(arg: number | undefined, precision?: number): number | undefined {
  if (arg === undefined) return undefined;
  // Shift the decimal point in the text, not by multiplying, which would bring float error into the tie test.
  if (precision) {
    const value = arg.toString().split('e');
    arg = +(value[0] + 'e' + (value[1] ? +value[1] + precision : precision));
  }
  let result = Math.round(arg);
  const diff = result - arg;
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result = result - 1; // half to even
  if (precision) {
    const value = result.toString().split('e');
    result = +(value[0] + 'e' + (value[1] ? +value[1] - precision : -precision));
  }
  return Object.is(result, -0) ? 0 : result;
}

const NUMBER_TEXT = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
const PREFIXED_NUMBER = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

function toNumber(arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'number') return arg;
  if (typeof arg === 'string' && NUMBER_TEXT.test(arg) && !isNaN(parseFloat(arg)) && isFinite(arg as unknown as number)) return parseFloat(arg);
  if (typeof arg === 'string' && PREFIXED_NUMBER.test(arg)) return Number(arg);
  if (arg === true) return 1;
  if (arg === false) return 0;
  throw fault('D3030', { value: arg, index: 1 });
}

function unary(name: string, op: (n: number) => number) {
  return define(name, '<n-:n>', 1, ([arg]) => (arg === undefined ? undefined : op(arg)));
}

export const numberFunctions = [
  define('sum', '<a<n>:n>', 1, ([args]) => {
    if (args === undefined) return undefined;
    let total = 0;
    for (const n of args as number[]) total += n;
    return total;
  }),
  define('count', '<a:n>', 1, ([args]) => (args === undefined ? 0 : (args as unknown[]).length)),
  define('max', '<a<n>:n>', 1, ([args]) => (args === undefined || args.length === 0 ? undefined : Math.max(...(args as number[])))),
  define('min', '<a<n>:n>', 1, ([args]) => (args === undefined || args.length === 0 ? undefined : Math.min(...(args as number[])))),
  define('average', '<a<n>:n>', 1, ([args]) => {
    if (args === undefined || args.length === 0) return undefined;
    let total = 0;
    for (const n of args as number[]) total += n;
    return total / args.length;
  }),
  define('number', '<(nsb)-:n>', 1, ([arg]) => toNumber(arg)),
  unary('floor', Math.floor),
  unary('ceil', Math.ceil),
  unary('abs', Math.abs),
  define('sqrt', '<n-:n>', 1, ([arg]) => {
    if (arg === undefined) return undefined;
    if (arg < 0) throw fault('D3060', { index: 1, value: arg });
    return Math.sqrt(arg);
  }),
  define('power', '<n-n:n>', 2, ([arg, exp]) => {
    if (arg === undefined) return undefined;
    const result = Math.pow(arg, exp);
    if (!isFinite(result)) throw fault('D3061', { index: 1, value: arg, exp });
    return result;
  }),
  define('round', '<n-n?:n>', 2, ([arg, precision]) => round(arg, precision)),
  define('random', '<:n>', 0, () => Math.random()),
  define('formatBase', '<n-n?:s>', 2, ([value, radix]) => {
    if (value === undefined) return undefined;
    value = round(value);
    radix = radix === undefined ? 10 : round(radix);
    if (radix < 2 || radix > 36) throw fault('D3100', { value: radix });
    return (value as number).toString(radix);
  }),
];
