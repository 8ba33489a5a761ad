/**
 * Object constructors and group-by: every item of the input is keyed by each pair's key
 * expression, items with the same key are grouped, and each group's value expression sees the
 * group as its context. A single object in, with literal keys, is the common case and skips the
 * grouping machinery.
 */
import { DELEGATE, enterMeasured, fatal, leaveMeasured, memberReach, settle, type Member } from './concurrency.js';
import type { Region } from './compile.js';
import { fault } from './faults.js';
import { tupleEnv } from './filters.js';
import { tick } from './guards.js';
import type { Code, Env } from './scope.js';
import { append, isSequence, sequenceOf } from './sequences.js';

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
export function groupGeneral(keys: Code[], members: Member[], region: Region): Code {
  const values = members.map((m) => m.code);
  const { owner, heights, measured, limit, fixed } = region;
  return (input, env) => {
    const groups: Record<string, Entry> = Object.create(null);
    const reduce = !!(input && input.tupleStream);
    // A data object with a `tupleStream` field passes for a tuple in the interpreter, which then
    // deletes its `@` field: that is the interpreter's to do.
    if (reduce && !Array.isArray(input)) throw DELEGATE;
    if (!Array.isArray(input)) input = sequenceOf(input);
    // An empty input still yields the literal object. The interpreter pushes undefined into the
    // array to get there: harmless for a sequence a path just made, but an array from the data (or
    // a variable) is changed for whatever reads it later, or concurrently. That is the interpreter's
    // to do (on its own copy of the input); a fresh sequence we leave alone.
    if (input.length === 0 && !reduce) {
      if (!isSequence(input)) throw DELEGATE;
      input = [undefined];
    }
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
    const names = Object.keys(groups);
    if (names.length < 2) {
      if (names.length === 1) groupValue(result, names[0], groups[names[0]], values, reduce, env);
      return result;
    }
    // The groups' values are evaluated concurrently by the interpreter (see concurrency.ts): every one,
    // even after one failed.
    const run = env.run;
    const base = run.base;
    const concurrent = run.concurrent;
    let total = base + owner;
    let failures = 0;
    let failure: unknown;
    if (measured) {
      const saved = enterMeasured(run);
      for (let i = 0; i < names.length; i++) {
        const entry = groups[names[i]];
        run.peak = 0;
        try {
          groupValue(result, names[i], entry, values, reduce, env);
        } catch (err) {
          if (fatal(err)) throw err;
          if (failures++ === 0) failure = err;
          run.base = base;
          run.concurrent = concurrent + 1;
        }
        total += memberReach(run, base, owner, heights[entry.exprIndex]);
      }
      leaveMeasured(run, total, saved);
      if (failures > 0) settle(run, concurrent, failure, failures);
      return result;
    }
    if (fixed) {
      // A group per pair at most: the static reach of all pairs bounds it (and is counted where this is measured).
      if (base > limit) throw DELEGATE;
    } else {
      for (let i = 0; i < names.length; i++) total += heights[groups[names[i]].exprIndex] - owner;
      if (total + 1 > run.maxDepth) throw DELEGATE;
      if (total > run.peak) run.peak = total;
    }
    run.concurrent = concurrent + 1;
    for (let i = 0; i < names.length; i++) {
      try {
        groupValue(result, names[i], groups[names[i]], values, reduce, env);
      } catch (err) {
        if (fatal(err)) throw err;
        if (failures++ === 0) failure = err;
        run.base = base;
        run.concurrent = concurrent + 1;
      }
    }
    if (failures > 0) settle(run, concurrent, failure, failures);
    run.concurrent = concurrent;
    return result;
  };
}

/** One group's value, evaluated with the group as its context, into `result`. */
function groupValue(result: Record<string, unknown>, key: string, entry: Entry, values: Code[], reduce: boolean, env: Env): void {
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

export function compileGroup(keys: Code[], members: Member[], literalKeys: (string | undefined)[], region: Region): Code {
  const general = groupGeneral(keys, members, region);
  const order = constantFields(literalKeys);
  if (!order) return general;
  // Values are produced in the order the interpreter visits its groups: JavaScript key order.
  const fields = order.map((f) => ({ key: f.key, value: members[f.index].code, height: region.heights[f.index] }));
  if (fields.length < 2) {
    return (input, env) => {
      if (Array.isArray(input) || (input && input.tupleStream)) return general(input, env);
      const result: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const value = fields[i].value(input, env);
        if (value !== undefined) result[fields[i].key] = value;
      }
      return result;
    };
  }
  // The values are evaluated concurrently by the interpreter (see concurrency.ts).
  const { owner, limit } = region;
  // Every value is evaluated, even after one failed (see `settle`).
  if (region.measured) {
    return (input, env) => {
      if (Array.isArray(input) || (input && input.tupleStream)) return general(input, env);
      const run = env.run;
      const base = run.base;
      const concurrent = run.concurrent;
      let total = base + owner;
      let failures = 0;
      let failure: unknown;
      const saved = enterMeasured(run);
      const result: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        run.peak = 0;
        try {
          const value = fields[i].value(input, env);
          if (value !== undefined) result[fields[i].key] = value;
        } catch (err) {
          if (fatal(err)) throw err;
          if (failures++ === 0) failure = err;
          run.base = base;
          run.concurrent = concurrent + 1;
        }
        total += memberReach(run, base, owner, fields[i].height);
      }
      leaveMeasured(run, total, saved);
      if (failures > 0) settle(run, concurrent, failure, failures);
      return result;
    };
  }
  return (input, env) => {
    if (Array.isArray(input) || (input && input.tupleStream)) return general(input, env);
    const run = env.run;
    const base = run.base;
    if (base > limit) throw DELEGATE;
    const concurrent = run.concurrent++;
    let failures = 0;
    let failure: unknown;
    const result: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      try {
        const value = fields[i].value(input, env);
        if (value !== undefined) result[fields[i].key] = value;
      } catch (err) {
        if (fatal(err)) throw err;
        if (failures++ === 0) failure = err;
        run.base = base;
        run.concurrent = concurrent + 1;
      }
    }
    if (failures > 0) settle(run, concurrent, failure, failures);
    run.concurrent = concurrent;
    return result;
  };
}
