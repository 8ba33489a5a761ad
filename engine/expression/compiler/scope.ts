/**
 * Variables and the state of one evaluation. A frame holds the variables bound in one scope
 * (a block with bindings, a lambda call, a tuple of a path); lookups walk outwards, then reach the
 * caller's bindings, the input (`$$`) and the built-ins, in the interpreter's order. Frames are
 * plain objects with a lazily made map: using fresh objects as prototypes (the obvious scope
 * chain) costs V8 a microsecond per frame.
 */
import type { Guard } from './guards.js';

/** One evaluation: its guard, the caller's bindings and the input `$$` refers to. */
export interface Run extends Guard {
  readonly bindings: Record<string, unknown> | undefined;
  readonly input: unknown;
  /** Whether a binding hides a built-in function (then calls look the name up rather than use the built-in). */
  readonly shadowsBuiltins: boolean;
  /** Concurrent regions (see concurrency.ts) being evaluated: an error raised inside one is the interpreter's to decide. */
  concurrent: number;
  /** The deepest the interpreter's depth counter can have reached in what ran since it was last reset (see concurrency.ts). */
  peak: number;
}

export class Env {
  names: Map<string, unknown> | undefined = undefined;
  constructor(
    readonly parent: Env | undefined,
    readonly run: Run,
  ) {}
}

/** A compiled node: its value for a given context item in a given scope. */
export type Code = (input: any, env: Env) => any;

export function bind(env: Env, name: string, value: unknown): void {
  (env.names ??= new Map()).set(name, value);
}

/** The frames only (no bindings, no built-ins); `undefined` for a name no frame binds. */
export function frameLookup(env: Env, name: string): unknown {
  for (let e: Env | undefined = env; e !== undefined; e = e.parent) {
    const names = e.names;
    if (names !== undefined && names.has(name)) return names.get(name);
  }
  return undefined;
}
