/** Functions over values, objects and arrays. */
import { DELEGATE } from '../concurrency.js';
import { fault } from '../faults.js';
import { append, createSequence, isSequence } from '../sequences.js';
import { isDeepEqual, isFunction, isLambda, keysOf, stringify, toBoolean, typeOf } from '../values.js';
import { define } from './define.js';

/** `$lookup` and every name step of a path: arrays are searched item by item, one level flattened. */
export function lookup(input: any, key: string): any {
  if (Array.isArray(input)) {
    const result = createSequence();
    for (let i = 0; i < input.length; i++) {
      const res = lookup(input[i], key);
      if (res !== undefined) {
        if (Array.isArray(res)) for (let j = 0; j < res.length; j++) result.push(res[j]);
        else result.push(res);
      }
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, key) && !isFunction(input)) {
    return input[key];
  }
  return undefined;
}

function keys(arg: any): string[] {
  let result: string[] = createSequence();
  if (Array.isArray(arg)) {
    const merged: Record<string, boolean> = Object.create(null);
    for (const item of arg) for (const key of keys(item)) merged[key] = true;
    result = keys(merged);
  } else if (arg !== null && typeof arg === 'object' && !isFunction(arg)) {
    for (const key of Object.keys(arg)) result.push(key);
  }
  return result;
}

function spread(arg: any): any {
  let result: any = createSequence();
  if (Array.isArray(arg)) {
    for (const item of arg) result = append(result, spread(item));
  } else if (arg !== null && typeof arg === 'object' && arg._jsonata_function === true) {
    // The interpreter spreads a built-in's own fields (and those its calls have left on it).
    throw DELEGATE;
  } else if (arg !== null && typeof arg === 'object' && !isLambda(arg)) {
    for (const key of keysOf(arg)) {
      const obj = Object.create(null);
      obj[key] = arg[key];
      result.push(obj);
    }
  } else {
    result = arg;
  }
  return result;
}

function distinct(arr: any): any {
  if (arr === undefined) return undefined;
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const results: unknown[] = isSequence(arr) ? createSequence() : [];
  for (const value of arr) {
    if (!results.some((seen) => isDeepEqual(value, seen))) results.push(value);
  }
  return results;
}

export const structureFunctions = [
  define('boolean', '<x-:b>', 1, ([arg]) => toBoolean(arg)),
  define('not', '<x-:b>', 1, ([arg]) => (arg === undefined ? undefined : !toBoolean(arg))),
  define('exists', '<x:b>', 1, ([arg]) => arg !== undefined),
  define('type', '<x:s>', 1, ([value]) => typeOf(value)),
  define('keys', '<x-:a<s>>', 1, ([arg]) => keys(arg)),
  define('lookup', '<x-s:x>', 2, ([input, key]) => lookup(input, key)),
  define('append', '<xx:a>', 2, ([a, b]) => append(a, b)),
  define('spread', '<x-:a<o>>', 1, ([arg]) => spread(arg)),
  define('merge', '<a<o>:o>', 1, ([arg]) => {
    if (arg === undefined) return undefined;
    const result = Object.create(null);
    for (const obj of arg as unknown[]) for (const prop of keysOf(obj)) result[prop] = (obj as Record<string, unknown>)[prop];
    return result;
  }),
  define('reverse', '<a:a>', 1, ([arr]) => {
    if (arr === undefined) return undefined;
    if (arr.length <= 1) return arr;
    const result = new Array(arr.length);
    for (let i = 0; i < arr.length; i++) result[arr.length - i - 1] = arr[i];
    return result;
  }),
  define('shuffle', '<a:a>', 1, ([arr]) => {
    if (arr === undefined) return undefined;
    if (arr.length <= 1) return arr;
    const result = new Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const j = Math.floor(Math.random() * (i + 1));
      if (i !== j) result[i] = result[j];
      result[j] = arr[i];
    }
    return result;
  }),
  define('distinct', '<x:x>', 1, ([arr]) => distinct(arr)),
  define('zip', '<a+>', 0, (args) => {
    const result: unknown[][] = [];
    const length = Math.min(...args.map((arg) => (Array.isArray(arg) ? arg.length : 0)));
    for (let i = 0; i < length; i++) result.push(args.map((arg) => arg[i]));
    return result;
  }),
  define('clone', '<(oa)-:o>', 1, ([arg]) => (arg === undefined ? undefined : JSON.parse(stringify(arg) as string))),
  define('error', '<s?:x>', 1, ([message]) => {
    throw fault('D3137', { message: message || '$error() function evaluated' });
  }),
  define('assert', '<bs?:x>', 2, ([condition, message]) => {
    if (!condition) throw fault('D3141', { message: message || '$assert() statement failed' });
    return undefined;
  }),
];

