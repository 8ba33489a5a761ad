/**
 * Calls, partial application, `~>` and lambdas. A built-in named directly that never calls back
 * (most of them) is called straight, without the general machinery of procedure lookup, depth
 * bookkeeping and trampolining; a caller's binding that hides its name sends it the general way.
 */
import { callAt, Lambda, partiallyApply, PLACEHOLDER, Thunk, wrapArgument, type Native } from './callables.js';
import type { Member } from './concurrency.js';
import { fault } from './faults.js';
import { depthExceeded } from './guards.js';
import type { Ast } from './paths.js';
import type { Code, Env, Run } from './scope.js';
import { collapse } from './sequences.js';
import { parseSignature, type Signature } from './signature.js';
import { isFunction } from './values.js';
import { BUILTINS, lookup } from './variables.js';

/** What call compilation needs from the node compiler. */
export interface CallCompiler {
  node(n: Ast, depth: number): Code;
  body(n: Ast, depth: number): Code;
  /** `body`, and how deep it reaches (see concurrency.ts). */
  measuredBody(n: Ast, depth: number): Member;
  readonly inBody: boolean;
  readonly maxDepth: number;
  isBound(name: string): boolean;
  /** The interpreter's `function($f, $g) { function($x){ $g($f($x)) } }`, for `f ~> g` on functions. */
  composition(): Code;
}

/** A call; as the right side of `~>` it takes the left side (`context`) as its first argument. */
export type CallCode = (input: any, env: Env, context?: unknown) => any;

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A built-in named directly (`$name(…)`), which no binding in the expression can hide. */
export function builtinCalled(c: CallCompiler, n: Ast): Native | undefined {
  const p = n.procedure;
  if (p.type !== 'variable' || c.isBound(p.value) || hasOwn(p, 'predicate') || hasOwn(p, 'group') || p.keepArray) return undefined;
  return BUILTINS[p.value];
}

export function compileCall(c: CallCompiler, n: Ast, depth: number, applied: boolean): CallCode {
  const procedure = c.node(n.procedure, depth + 1);
  const args = (n.arguments as Ast[]).map((a) => c.node(a, depth + 1));
  const byPath = n.procedure.type === 'path';
  const name: string = byPath ? n.procedure.steps[0].value : n.procedure.value;
  const count = args.length;
  const general: CallCode = (input, env, context) => {
    const proc = procedure(input, env);
    if (proc === undefined && byPath && lookup(env, name)) throw fault('T1005', { token: name });
    if (proc === null) throw nullProcedure();
    const argv = new Array(applied ? count + 1 : count);
    let k = 0;
    if (applied) argv[k++] = context;
    for (let i = 0; i < count; i++) argv[k++] = asArgument(args[i](input, env), env.run);
    try {
      return callAt(proc, argv, input, env, depth);
    } catch (err) {
      throw labelled(err, name);
    }
  };
  const builtin = builtinCalled(c, n);
  if (!builtin?.leaf || builtin.signature === undefined) return general;
  // At top level the procedure's depth is known: past the limit, its evaluation fails as the interpreter's does.
  if (!c.inBody && depth + 1 > c.maxDepth) return general;
  return leafCall(c, builtin, args, depth, applied, general);
}

/** Calls a built-in that never calls back with already evaluated (and wrapped) arguments: its signature, then its code. */
export function leafInvoker(builtin: Native): (argv: unknown[], input: unknown, run: Run) => unknown {
  const { signature, impl, name } = builtin as Native & { signature: Signature };
  return (argv, input, run) => {
    try {
      return impl(signature.validate(argv, input), run, input);
    } catch (err) {
      throw labelled(err, name);
    }
  };
}

/**
 * The built-in a call node names when the call can be made directly at top level (one or two
 * arguments, no `~>`): what `compileCall` does in that case, for code that calls it inline.
 */
export function directLeaf(c: CallCompiler, n: Ast, depth: number): Native | undefined {
  if (c.inBody || (n.arguments as Ast[]).length > 2 || depth + 1 > c.maxDepth) return undefined;
  const builtin = builtinCalled(c, n);
  return builtin?.leaf && builtin.signature !== undefined ? builtin : undefined;
}

function leafCall(c: CallCompiler, builtin: Native, args: Code[], depth: number, applied: boolean, general: CallCode): CallCode {
  const count = args.length;
  // A scalar built-in's node has no collapse wrapper; whatever hides it might need one.
  const fallback: CallCode = builtin.scalar ? (input, env, context) => collapse(general(input, env, context), false) : general;
  const call = leafInvoker(builtin);
  if (!applied && !c.inBody && count <= 2) {
    // The common shapes, one or two arguments at top level, without the loop and its bookkeeping.
    const [first, second] = args;
    if (count === 0) return (input, env) => (env.run.shadowsBuiltins ? fallback(input, env) : call([], input, env.run));
    if (count === 1) {
      return (input, env) => {
        const run = env.run;
        if (run.shadowsBuiltins) return fallback(input, env);
        return call([asArgument(first(input, env), run)], input, run);
      };
    }
    return (input, env) => {
      const run = env.run;
      if (run.shadowsBuiltins) return fallback(input, env);
      const a = asArgument(first(input, env), run);
      return call([a, asArgument(second(input, env), run)], input, run);
    };
  }
  const limit = c.inBody ? c.maxDepth - depth - 1 : Infinity;
  return (input, env, context) => {
    const run = env.run;
    if (run.shadowsBuiltins) return fallback(input, env, context);
    // The procedure the general path would evaluate sits one level down; so does its depth check.
    if (run.base > limit) depthExceeded(run);
    const argv = new Array(applied ? count + 1 : count);
    let k = 0;
    if (applied) argv[k++] = context;
    for (let i = 0; i < count; i++) argv[k++] = asArgument(args[i](input, env), run);
    return call(argv, input, run);
  };
}

export function compilePartial(c: CallCompiler, n: Ast, depth: number): Code {
  const args = (n.arguments as Ast[]).map((a) => (a.type === 'operator' && a.value === '?' ? undefined : c.node(a, depth + 1)));
  const procedure = c.node(n.procedure, depth + 1);
  const byPath = n.procedure.type === 'path';
  const name: string = byPath ? n.procedure.steps[0].value : n.procedure.value;
  return (input, env) => {
    const argv = args.map((a) => (a === undefined ? PLACEHOLDER : a(input, env)));
    const proc = procedure(input, env);
    if (proc === undefined && byPath && lookup(env, name)) throw fault('T1007', { token: name });
    const result = partiallyApply(proc, argv, env);
    if (result === undefined) throw fault('T1008', { token: name });
    return result;
  };
}

export function compileApply(c: CallCompiler, n: Ast, depth: number): Code {
  const lhs = c.node(n.lhs, depth + 1);
  if (n.rhs.type === 'function') {
    // The interpreter invokes the right side directly, at this node's depth, ignoring its own predicates.
    const call = compileCall(c, n.rhs, depth, true);
    return (input, env) => call(input, env, lhs(input, env));
  }
  const rhs = c.node(n.rhs, depth + 1);
  const chain = c.composition();
  return (input, env) => {
    const value = lhs(input, env);
    const func = rhs(input, env);
    if (!isFunction(func)) throw fault('T2006', { value: func });
    if (isFunction(value)) return callAt(chain(null, env), [value, func], null, env, depth);
    return callAt(func, [value], null, env, depth);
  };
}

export function compileLambda(c: CallCompiler, n: Ast): Code {
  if (n.thunk === true) {
    // A call in tail position: its parts are evaluated by the trampoline, one level below the caller.
    const parts = [n.body.procedure, ...n.body.arguments].map((a: Ast) => c.measuredBody(a, 1));
    const procedure = parts[0].code;
    const args = parts.slice(1).map((p) => p.code);
    const height = Math.max(...parts.map((p) => p.height));
    const name = n.body.procedure.type === 'variable' ? (n.body.procedure.value as string) : undefined;
    return (input, env) => new Thunk(procedure, args, input, env, name, height);
  }
  const params = (n.arguments as Ast[]).map((a) => a.value as string);
  // `?:` and `??` copy their left side through JSON, which keeps a signature's text but not its
  // validator: a lambda made there fails when applied, in the interpreter.
  const signature = n.signature ? (typeof n.signature.validate === 'function' ? parseSignature(n.signature.definition as string) : LOST_SIGNATURE) : undefined;
  const { code: body, height } = c.measuredBody(n.body, 1);
  return (input, env) => new Lambda(params, signature, body, input, env, height);
}

const LOST_SIGNATURE: Signature = {
  definition: '',
  takes: () => false,
  validate() {
    throw new TypeError('signature.validate is not a function');
  },
};

/** Function values are handed over wrapped, as the interpreter does (see `wrapArgument`). */
export function asArgument(value: any, run: Run): unknown {
  if (typeof value === 'object') {
    return value !== null && (value._jsonata_function === true || value._jsonata_lambda === true) ? wrapArgument(value, run) : value;
  }
  return typeof value === 'function' ? wrapArgument(value, run) : value;
}

/** Names the function an error came from, as the interpreter does, unless something nearer already did. */
export function labelled(err: unknown, name: string): unknown {
  if (err && typeof err === 'object' && (err as { token?: unknown }).token === undefined && 'code' in err) {
    (err as { token?: unknown }).token = name;
  }
  return err;
}

/** The interpreter labels the procedure object with its name, and so fails on null with a TypeError. */
function nullProcedure(): TypeError {
  return new TypeError("Cannot set properties of null (setting 'token')");
}
