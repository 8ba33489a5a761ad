/**
 * Function values and their application: lambdas, built-ins, partial applications, and the
 * trampoline that runs tail calls in constant stack, all as in the interpreter (same argument
 * validation, same context handling, same wrapping of function arguments).
 */
import { DELEGATE, reach } from './concurrency.js';
import { fault, isFault } from './faults.js';
import { tick } from './guards.js';
import { bind, Env, frameLookup, type Code, type Run } from './scope.js';
import type { Signature } from './signature.js';
import { arityOf } from './values.js';

export type NativeImpl = (args: any[], run: Run, input: unknown) => unknown;

/** A built-in function, or a function made by a transform expression. */
export class Native {
  readonly _jsonata_function = true;
  constructor(
    readonly name: string,
    readonly signature: Signature | undefined,
    /** What the interpreter's higher-order functions see as its arity (its implementation's length). */
    readonly arity: number,
    /** Declared parameters, for partial application. */
    readonly params: number,
    readonly impl: NativeImpl,
  ) {}

  /** Never calls a function it is given: a call needs no depth bookkeeping and cannot trampoline. */
  leaf = false;
  /** Answers with a string, number, boolean, object or nothing, never a sequence: no collapse needed. */
  scalar = false;
  /**
   * Partially applied, the interpreter binds the parameters it reads from its implementation's
   * source text: true when those are this built-in's declared parameters, one for one.
   */
  partial = false;
}

export class Lambda {
  readonly _jsonata_lambda = true;
  readonly arity: number;
  constructor(
    readonly params: string[],
    readonly signature: Signature | undefined,
    readonly body: Code,
    readonly input: unknown,
    /** The scope it was made in. */
    readonly env: Env | undefined,
    /** The deepest static depth its body reaches (see concurrency.ts). */
    readonly height: number,
  ) {
    this.arity = params.length;
  }
}

/** A call in tail position: returned instead of made, so `apply` can loop rather than recurse. */
export class Thunk {
  readonly _jsonata_lambda = true;
  readonly thunk = true;
  constructor(
    readonly procedure: Code,
    readonly args: Code[],
    readonly input: unknown,
    readonly env: Env,
    /** The called name, for error messages. */
    readonly name: string | undefined,
    /** The deepest static depth evaluating the procedure and arguments reaches (see concurrency.ts). */
    readonly height: number,
  ) {}
}

export function apply(proc: any, args: any[], input: unknown, run: Run): any {
  let result = applyInner(proc, args, input, run);
  while (result instanceof Thunk) {
    tick(run);
    reach(run, result.height);
    const next = result.procedure(result.input, result.env);
    // The interpreter labels the procedure it is about to call (`token` when it is named by a variable,
    // then `position`), and so fails with a TypeError on nothing, or on a string, number or boolean (strict mode).
    if (next === undefined || next === null) throw new TypeError(`Cannot set properties of ${next} (setting '${result.name !== undefined ? 'token' : 'position'}')`);
    if (typeof next !== 'object' && typeof next !== 'function') throw new TypeError(`Cannot create property '${result.name !== undefined ? 'token' : 'position'}' on ${typeof next} '${String(next)}'`);
    const argv = new Array(result.args.length);
    for (let i = 0; i < argv.length; i++) argv[i] = result.args[i](result.input, result.env);
    const name = result.name;
    try {
      result = applyInner(next, argv, input, run);
    } catch (err) {
      if (name !== undefined && isFault(err) && err.token === undefined) err.token = name;
      throw err;
    }
  }
  return result;
}

function applyInner(proc: any, args: any[], input: unknown, run: Run): any {
  const validated = proc && proc.signature !== undefined ? (proc.signature as Signature).validate(args, input) : args;
  if (proc instanceof Lambda) {
    tick(run);
    reach(run, proc.height);
    const env = new Env(proc.env, run);
    const params = proc.params;
    if (params.length > 0) {
      const names = (env.names = new Map());
      for (let i = 0; i < params.length; i++) names.set(params[i], validated[i]);
    }
    return proc.body(proc.input, env);
  }
  if (proc instanceof Native) return proc.impl(validated, run, input);
  if (typeof proc === 'function') return settled(proc.apply(input, validated));
  if (proc && proc._jsonata_function === true && typeof proc.implementation === 'function') {
    return settled(proc.implementation.apply({ input, environment: undefined }, validated));
  }
  // Data that carries the interpreter's function flags is applied by it as if it were one (its
  // `arguments` and `body` read as a lambda's): not ours to mimic.
  if (proc && (proc._jsonata_lambda === true || proc._jsonata_function === true)) throw DELEGATE;
  throw fault('T1006');
}

function settled(result: any): any {
  if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
    throw fault('T1006', { message: 'A bound JavaScript function returned a promise; compiled expressions are synchronous' });
  }
  return result;
}

/**
 * A call made by the node at static depth `site`: whatever runs inside (a lambda body, a built-in
 * calling back into lambdas) counts its depth from there, as the interpreter's counter does.
 */
export function callAt(proc: unknown, args: any[], input: unknown, env: Env, site: number): any {
  const run = env.run;
  const saved = run.base;
  run.base = saved + site;
  const result = apply(proc, args, input, run);
  run.base = saved;
  return result;
}

/**
 * The interpreter hands function-valued arguments over as closures with no context of their own
 * (`$f()` inside the callee then sees no context value); we do the same so signatures with `-`
 * behave identically.
 */
export function wrapArgument(fn: unknown, run: Run): (...params: any[]) => any {
  const closure = (...params: any[]) => apply(fn, params, null, run);
  (closure as unknown as { arity: number }).arity = arityOf(fn);
  return closure;
}

/**
 * How built-ins call the functions they are given: `func.apply(…)` in the interpreter. A function
 * argument normally arrives wrapped (a JavaScript function); one that does not (an argument of a
 * call in tail position, the left side of `~>`, a value bound by a partial application) works only
 * if it is a lambda, which has an `apply` of its own, run against the input it was made with. A
 * built-in has none: the interpreter fails with a TypeError, and so do we.
 */
export function invoke(func: any, args: any[], run: Run, what = 'func'): any {
  if (typeof func === 'function') return settled(func(...args));
  if (func instanceof Lambda) return apply(func, args, func.input, run);
  throw new TypeError(func === undefined || func === null ? `Cannot read properties of ${func} (reading 'apply')` : `${what}.apply is not a function`);
}

export const PLACEHOLDER: unique symbol = Symbol('partial-application placeholder');

export function partiallyApply(proc: any, args: any[], env: Env): Lambda | undefined {
  if (proc instanceof Lambda) return partialLambda(proc.params, proc.body, proc.input, proc.env ?? env, args, proc.height);
  // A built-in partially applied: the interpreter calls its raw implementation, without checking or
  // adjusting the arguments against the signature (no context for a missing one, no array made of a
  // single value). Where the signature would take the arguments as they are, that is the built-in
  // itself; anything else (and a bound JavaScript function) is the interpreter's to do.
  if (proc instanceof Native && proc.partial && proc.signature !== undefined) {
    const { signature } = proc;
    const names = Array.from({ length: proc.params }, (_, i) => `\u0000${i}`);
    const body: Code = (_input, bodyEnv) => {
      const argv = names.map((n) => frameLookup(bodyEnv, n));
      if (!signature.takes(argv)) throw DELEGATE;
      return proc.impl(argv, bodyEnv.run, undefined);
    };
    return partialLambda(names, body, undefined, env, args, 0);
  }
  if (proc instanceof Native || typeof proc === 'function' || (proc && proc._jsonata_function === true)) throw DELEGATE;
  return undefined;
}

function partialLambda(params: string[], body: Code, input: unknown, env: Env, args: any[], height: number): Lambda {
  const bound = new Env(env, env.run);
  const unbound: string[] = [];
  params.forEach((name, i) => {
    if (args[i] === PLACEHOLDER) unbound.push(name);
    else bind(bound, name, args[i]);
  });
  return new Lambda(unbound, undefined, body, input, bound, height);
}
