/**
 * Object constructors and group-by: every item of the input is keyed by each pair's key
 * expression, items with the same key are grouped, and each group's value expression sees the
 * group as its context. A single object in, with literal keys, is the common case and skips the
 * grouping machinery.
 */
import { fault } from './faults.js';
import { tupleEnv } from './filters.js';
import { tick } from './guards.js';
import type { Code, Env } from './scope.js';
import { append, sequenceOf } from './sequences.js';

/**
 * Constructed objects are ordinary objects, not the interpreter's `Object.create(null)`: V8 keeps
 * those in dictionary mode, several times slower to build and read. The one key an ordinary object
 * would treat specially is defined rather than assigned.
 */
function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

interface Entry {
  data: any;
  exprIndex: number;
}

function reduceTupleStream(tupleStream: any): any {
  if (!Array.isArray(tupleStream)) return tupleStream;
  const result = Object.assign(Object.create(null), tupleStream[0]);
  for (let i = 1; i < tupleStream.length; i++) {
    for (const prop of Object.keys(tupleStream[i])) result[prop] = append(result[prop], tupleStream[i][prop]);
  }
  return result;
}

/** The general object constructor / group-by: every item keyed, grouped, and each group's value evaluated. */
export function groupGeneral(keys: Code[], values: Code[]): Code {
  return (input, env) => {
    const groups: Record<string, Entry> = Object.create(null);
    const reduce = !!(input && input.tupleStream);
    if (!Array.isArray(input)) input = sequenceOf(input);
    // An empty input still yields the literal object (the interpreter pushes undefined into it; we do not touch it).
    if (input.length === 0 && !reduce) input = [undefined];
    for (let itemIndex = 0; itemIndex < input.length; itemIndex++) {
      tick(env.run);
      const item = input[itemIndex];
      const itemEnv = reduce ? tupleEnv(env, item) : env;
      for (let pairIndex = 0; pairIndex < keys.length; pairIndex++) {
        const key = keys[pairIndex](reduce ? item['@'] : item, itemEnv);
        if (typeof key !== 'string' && key !== undefined) throw fault('T1003', { value: key });
        if (key === undefined) continue;
        if (key === '_jsonata_lambda' || key === '_jsonata_function') throw fault('D1013', { value: key });
        const existing = groups[key];
        if (existing !== undefined) {
          if (existing.exprIndex !== pairIndex) throw fault('D1009', { value: key });
          existing.data = append(existing.data, item);
        } else {
          groups[key] = { data: item, exprIndex: pairIndex };
        }
      }
    }
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(groups)) {
      const entry = groups[key];
      let context = entry.data;
      let valueEnv: Env = env;
      if (reduce) {
        const tuple = reduceTupleStream(entry.data);
        context = tuple['@'];
        delete tuple['@'];
        valueEnv = tupleEnv(env, tuple);
      }
      const value = values[entry.exprIndex](context, valueEnv);
      if (value !== undefined) setField(result, key, value);
    }
    return result;
  };
}

/**
 * Literal, distinct keys: the fields in the order the interpreter visits its groups (JavaScript key
 * order), with the index of the pair that gives each value; undefined when the general code is needed.
 */
export function constantFields(literalKeys: (string | undefined)[]): { key: string; index: number }[] | undefined {
  const constant = literalKeys.every((k) => k !== undefined) && new Set(literalKeys).size === literalKeys.length;
  if (!constant) return undefined;
  const order = Object.keys(Object.fromEntries(literalKeys.map((k, i) => [k, i]))).map((k) => {
    const index = literalKeys.indexOf(k);
    if (k === '_jsonata_lambda' || k === '_jsonata_function') return undefined;
    return { key: k, index };
  });
  if (order.some((o) => o === undefined)) return undefined;
  const fields = order as { key: string; index: number }[];
  if (fields.some((f) => f.key === '__proto__')) return undefined;
  return fields;
}

export function compileGroup(keys: Code[], values: Code[], literalKeys: (string | undefined)[]): Code {
  const general = groupGeneral(keys, values);
  const order = constantFields(literalKeys);
  if (!order) return general;
  // Values are produced in the order the interpreter visits its groups: JavaScript key order.
  const fields = order.map((f) => ({ key: f.key, value: values[f.index] }));
  return (input, env) => {
    if (Array.isArray(input)) return general(input, env);
    const result: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const value = fields[i].value(input, env);
      if (value !== undefined) result[fields[i].key] = value;
    }
    return result;
  };
}
