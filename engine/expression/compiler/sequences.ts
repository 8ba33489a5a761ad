/**
 * JSONata's sequences: arrays flagged `sequence`, which collapse to their only item, vanish when
 * empty, and flatten into the paths that produce them. The flags are the interpreter's own
 * (same names, same enumerability) so a value can cross from compiled to interpreted code and back.
 */

export interface Sequence extends Array<any> {
  sequence: true;
  keepSingleton?: boolean;
  tupleStream?: boolean;
  outerWrapper?: boolean;
}

export function createSequence(): Sequence {
  const s = [] as unknown as Sequence;
  s.sequence = true;
  return s;
}

export function sequenceOf(item: unknown): Sequence {
  const s = [item] as unknown as Sequence;
  s.sequence = true;
  return s;
}

export function isSequence(value: any): value is Sequence {
  return value.sequence === true && Array.isArray(value);
}

/** Array constructors mark their result so paths do not flatten it (non-enumerable, as in the interpreter). */
export function markConstructed(array: unknown[]): unknown[] {
  Object.defineProperty(array, 'cons', { enumerable: false, configurable: false, value: true });
  return array;
}

/**
 * What the interpreter does with every node's result: a sequence of none is nothing, a sequence of
 * one is that item unless a `[]` asked to keep it. The interpreter marks the sequence itself, which
 * may be shared (held in a variable); a fresh marked copy has the same effect without that.
 */
export function collapse(result: any, keepArray: boolean): any {
  if (result && result.sequence === true && Array.isArray(result)) {
    const seq = result as Sequence;
    if (seq.tupleStream) return seq;
    if (seq.length === 0) return undefined;
    if (seq.length === 1 && !seq.keepSingleton) {
      if (!keepArray) return seq[0];
      const kept = sequenceOf(seq[0]);
      kept.keepSingleton = true;
      return kept;
    }
  }
  return result;
}

/** `$append` semantics, used wherever the interpreter accumulates values. */
export function append(arg1: any, arg2: any): any {
  if (arg1 === undefined) return arg2;
  if (arg2 === undefined) return arg1;
  if (!Array.isArray(arg1)) arg1 = sequenceOf(arg1);
  if (!Array.isArray(arg2)) arg2 = [arg2];
  return arg1.concat(arg2);
}

/** Deep flattening, for the wildcard step. */
export function flattenInto(arg: any, into: unknown[]): unknown[] {
  if (Array.isArray(arg)) {
    for (let i = 0; i < arg.length; i++) flattenInto(arg[i], into);
  } else {
    into.push(arg);
  }
  return into;
}
