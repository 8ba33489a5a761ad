/**
 * Turns jsonata's syntax tree into closures, one per node, with the interpreter's meaning. The
 * post-processing each node gets from the interpreter's `evaluate` (predicates, group-by, the
 * collapse of sequences, the depth guard) is added only where it can have an effect.
 */
import { callAt, isFunction, Lambda, type Native, partiallyApply, PLACEHOLDER, Thunk, wrapArgument } from './callables.js';
import { fault } from './faults.js';
import { compileFilter, type Filter } from './filters.js';
import { NOT_COMPILED } from './functions/index.js';
import { regexMatcher } from './functions/patterns.js';
import { compileGroup } from './groups.js';
import { depthExceeded } from './guards.js';
import { binaryOperator, booleanOperator, negate } from './operators.js';
import { compilePath, type Ast, type PathCompiler } from './paths.js';
import { bind, Env, type Code } from './scope.js';
import { append, collapse, createSequence, flattenInto, markConstructed } from './sequences.js';
import { parseSignature, type Signature } from './signature.js';
import { transformer } from './transform.js';
import { truthy } from './values.js';
import { BUILTINS, lookup, outerLookup } from './variables.js';
import jsonata from 'jsonata';

/** A construct the compiler leaves to the interpreter; the message is the fallback reason. */
export class NotCompiled extends Error {}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Nodes whose own result can be a fresh sequence (so the interpreter's collapse matters). */
function mayYieldSequence(n: Ast): boolean {
  switch (n.type) {
    case 'path':
    case 'name':
    case 'variable':
    case 'function':
    case 'partial':
    case 'apply':
    case 'wildcard':
    case 'descendant':
    case 'parent':
      return true;
    case 'binary':
      return n.value === '..';
    default:
      return false;
  }
}

export class NodeCompiler implements PathCompiler {
  private bodyCompiler?: NodeCompiler;
  private chain?: Code;

  constructor(
    readonly maxDepth: number,
    /** Every name the expression binds somewhere; all others resolve the same way at every point. */
    private readonly bound: ReadonlySet<string>,
    readonly inBody = false,
  ) {}

  /** A node at static depth `depth` (the interpreter's evaluation depth below the current function body). */
  node(n: Ast, depth: number): Code {
    let code = this.core(n, depth);
    const predicates = hasOwn(n, 'predicate') ? (n.predicate as Ast[]) : undefined;
    if (predicates) code = withFilters(code, this.filters(predicates, depth + 1));
    if (n.type !== 'path' && hasOwn(n, 'group')) code = withGroup(code, this.group(n.group.lhs, depth + 1));
    const keep = n.keepArray === true;
    if (keep || predicates || (mayYieldSequence(n) && !this.scalarCall(n))) code = withCollapse(code, keep);
    return this.guarded(code, depth);
  }

  /** A function body (lambda, tail call, transform clause): depth counts from the caller, and is checked. */
  body(n: Ast, depth: number): Code {
    if (this.inBody) return this.node(n, depth);
    this.bodyCompiler ??= new NodeCompiler(this.maxDepth, this.bound, true);
    return this.bodyCompiler.node(n, depth);
  }

  private guarded(code: Code, depth: number): Code {
    if (this.inBody) {
      const limit = this.maxDepth - depth;
      return (input, env) => {
        if (env.run.base > limit) depthExceeded(env.run);
        return code(input, env);
      };
    }
    // At top level the depth is known now; only absurdly nested expressions can exceed it.
    if (depth > this.maxDepth) return (_input, env) => depthExceeded(env.run);
    return code;
  }

  private filters(predicates: Ast[], depth: number): Filter[] {
    return predicates.map((p) => compileFilter(this.node(p.expr, depth), p.expr.type === 'number' ? p.expr.value : undefined));
  }

  private group(pairs: Ast[][], depth: number): Code {
    if (pairs.some((p) => bindsHere(p[1]))) throw new NotCompiled(CONCURRENT_BIND);
    return compileGroup(
      pairs.map((p) => this.node(p[0], depth)),
      pairs.map((p) => this.node(p[1], depth)),
      pairs.map((p) => (p[0].type === 'string' && isBareLiteral(p[0]) ? (p[0].value as string) : undefined)),
    );
  }

  private core(n: Ast, depth: number): Code {
    switch (n.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = n.value;
        return () => value;
      }
      case 'variable':
        return this.variable(n.value);
      case 'name': {
        const name = n.value as string;
        return (input) => lookupName(input, name);
      }
      case 'path':
        return compilePath(n, depth, this, hasOwn(n, 'group') ? this.group(n.group.lhs, depth + 1) : undefined);
      case 'binary':
        return this.binary(n, depth);
      case 'unary':
        return this.unary(n, depth);
      case 'condition': {
        const condition = this.node(n.condition, depth + 1);
        const then = this.node(n.then, depth + 1);
        const otherwise = n.else !== undefined ? this.node(n.else, depth + 1) : undefined;
        return (input, env) => (truthy(condition(input, env)) ? then(input, env) : otherwise?.(input, env));
      }
      case 'block': {
        const expressions = (n.expressions as Ast[]).map((e) => this.node(e, depth + 1));
        // A block without bindings of its own would have an empty frame: skip it.
        const ownFrame = bindsHere(n.expressions);
        return (input, env) => {
          const scope = ownFrame ? new Env(env, env.run) : env;
          let result: unknown;
          for (let i = 0; i < expressions.length; i++) result = expressions[i](input, scope);
          return result;
        };
      }
      case 'bind': {
        const name = n.lhs.value as string;
        if (NOT_COMPILED[name]) throw new NotCompiled(`binding $${name} (a built-in that is not compiled)`);
        const rhs = this.node(n.rhs, depth + 1);
        return (input, env) => {
          const value = rhs(input, env);
          bind(env, name, value);
          return value;
        };
      }
      case 'regex': {
        const pattern = n.value as RegExp;
        return () => regexMatcher(pattern);
      }
      case 'function':
        return this.call(n, depth, false);
      case 'partial':
        return this.partial(n, depth);
      case 'apply':
        return this.applyOperator(n, depth);
      case 'lambda':
        return this.lambda(n);
      case 'transform':
        return transformer(this.body(n.pattern, 1), this.body(n.update, 1), n.delete !== undefined ? this.body(n.delete, 1) : undefined);
      case 'wildcard':
        return wildcard;
      case 'descendant':
        return descendants;
      case 'parent': {
        const label = n.slot.label as string;
        return (_input, env) => lookup(env, label);
      }
      default:
        throw new NotCompiled(`syntax node "${n.type}"`);
    }
  }

  variable(name: string): Code {
    if (name === '') return (input) => (input && input.outerWrapper ? input[0] : input);
    const reason = NOT_COMPILED[name];
    if (reason) throw new NotCompiled(reason);
    if (this.bound.has(name)) return (_input, env) => lookup(env, name);
    if (name === '$') return (_input, env) => env.run.input;
    const builtin = BUILTINS[name];
    if (builtin !== undefined) return (_input, env) => (env.run.shadowsBuiltins ? outerLookup(env.run, name) : builtin);
    return (_input, env) => {
      const bindings = env.run.bindings;
      return bindings !== undefined && hasOwn(bindings, name) ? bindings[name] : undefined;
    };
  }

  private binary(n: Ast, depth: number): Code {
    const op = n.value as string;
    const lhs = this.node(n.lhs, depth + 1);
    const rhs = this.node(n.rhs, depth + 1);
    if (op === 'and' || op === 'or') return booleanOperator(op, lhs, rhs);
    const operator = binaryOperator(op);
    if (!operator) throw new NotCompiled(`operator "${op}"`);
    return (input, env) => operator(lhs(input, env), rhs(input, env), env);
  }

  private unary(n: Ast, depth: number): Code {
    switch (n.value) {
      case '-':
        return negate(this.node(n.expression, depth + 1));
      case '[': {
        if (n.expressions.length > 1 && n.expressions.some(bindsHere)) throw new NotCompiled(CONCURRENT_BIND);
        const items = (n.expressions as Ast[]).map((e) => ({ code: this.node(e, depth + 1), nested: e.value === '[' }));
        const constructed = n.consarray === true;
        return (input, env) => {
          const result: unknown[] = [];
          for (let i = 0; i < items.length; i++) {
            const value = items[i].code(input, env);
            if (value === undefined) continue;
            // `$append` semantics: a value that is an array is spliced in, unless it is itself `[…]`.
            if (items[i].nested || !Array.isArray(value)) result.push(value);
            else for (let j = 0; j < value.length; j++) result.push(value[j]);
          }
          return constructed ? markConstructed(result) : result;
        };
      }
      case '{':
        return this.group(n.lhs, depth + 1);
      default:
        throw new NotCompiled(`unary operator "${n.value}"`);
    }
  }

  /** A function call; as the right side of `~>` it takes the left side as its first argument. */
  /** A built-in named directly (`$name(…)`), which no binding in the expression can hide. */
  private builtinCalled(n: Ast): Native | undefined {
    const p = n.procedure;
    if (p.type !== 'variable' || this.bound.has(p.value) || hasOwn(p, 'predicate') || hasOwn(p, 'group') || p.keepArray) return undefined;
    return BUILTINS[p.value];
  }

  private scalarCall(n: Ast): boolean {
    return n.type === 'function' && this.builtinCalled(n)?.scalar === true;
  }

  private call(n: Ast, depth: number, applied: boolean): (input: any, env: Env, context?: unknown) => any {
    const procedure = this.node(n.procedure, depth + 1);
    const args = (n.arguments as Ast[]).map((a) => this.node(a, depth + 1));
    const byPath = n.procedure.type === 'path';
    const name: string = byPath ? n.procedure.steps[0].value : n.procedure.value;
    const count = args.length;
    const general = (input: any, env: Env, context?: unknown) => {
      const proc = procedure(input, env);
      if (proc === undefined && byPath && lookup(env, name)) throw fault('T1005', { token: name });
      if (proc === null) throw nullProcedure();
      const argv = new Array(applied ? count + 1 : count);
      let k = 0;
      if (applied) argv[k++] = context;
      for (let i = 0; i < count; i++) {
        const arg = args[i](input, env);
        argv[k++] = arg !== undefined && isFunction(arg) ? wrapArgument(arg, env.run) : arg;
      }
      try {
        return callAt(proc, argv, input, env, depth);
      } catch (err) {
        throw labelled(err, name);
      }
    };
    const builtin = this.builtinCalled(n);
    if (!builtin?.leaf || builtin.signature === undefined) return general;
    return this.leafCall(builtin, args, depth, applied, general);
  }

  /**
   * A built-in that never calls back: no procedure lookup, no depth bookkeeping, no trampoline.
   * Only a caller's binding that hides the built-in's name sends the call the general way.
   */
  private leafCall(
    builtin: Native,
    args: Code[],
    depth: number,
    applied: boolean,
    general: (input: any, env: Env, context?: unknown) => any,
  ): (input: any, env: Env, context?: unknown) => any {
    const { signature, impl, name } = builtin as Native & { signature: Signature };
    const count = args.length;
    const limit = this.inBody ? this.maxDepth - depth - 1 : Infinity;
    const keepScalar = !builtin.scalar;
    return (input: any, env: Env, context?: unknown) => {
      const run = env.run;
      if (run.shadowsBuiltins) return keepScalar ? general(input, env, context) : collapse(general(input, env, context), false);
      if (run.base > limit) depthExceeded(run);
      const argv = new Array(applied ? count + 1 : count);
      let k = 0;
      if (applied) argv[k++] = context;
      for (let i = 0; i < count; i++) {
        const arg = args[i](input, env);
        argv[k++] = arg !== undefined && isFunction(arg) ? wrapArgument(arg, run) : arg;
      }
      try {
        return impl(signature.validate(argv, input), run, input);
      } catch (err) {
        throw labelled(err, name);
      }
    };
  }

  private partial(n: Ast, depth: number): Code {
    const args = (n.arguments as Ast[]).map((a) => (a.type === 'operator' && a.value === '?' ? undefined : this.node(a, depth + 1)));
    const procedure = this.node(n.procedure, depth + 1);
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

  private applyOperator(n: Ast, depth: number): Code {
    const lhs = this.node(n.lhs, depth + 1);
    if (n.rhs.type === 'function') {
      // The interpreter invokes the right side directly, at this node's depth, ignoring its own predicates.
      const call = this.call(n.rhs, depth, true);
      return (input, env) => call(input, env, lhs(input, env));
    }
    const rhs = this.node(n.rhs, depth + 1);
    const chain = this.composition();
    return (input, env) => {
      const value = lhs(input, env);
      const func = rhs(input, env);
      if (!isFunction(func)) throw fault('T2006', { value: func });
      if (isFunction(value)) {
        const composer = chain(null, env);
        return callAt(composer, [value, func], null, env, depth);
      }
      return callAt(func, [value], null, env, depth);
    };
  }

  /** `f ~> g` for functions is the interpreter's own `function($f, $g) { function($x){ $g($f($x)) } }`. */
  private composition(): Code {
    this.chain ??= new NodeCompiler(this.maxDepth, boundNames(COMPOSE_AST), this.inBody).lambda(COMPOSE_AST);
    return this.chain;
  }

  lambda(n: Ast): Code {
    if (n.thunk === true) {
      // A call in tail position: its parts are evaluated by the trampoline, one level below the caller.
      const procedure = this.body(n.body.procedure, 1);
      const args = (n.body.arguments as Ast[]).map((a) => this.body(a, 1));
      const name = n.body.procedure.type === 'variable' ? (n.body.procedure.value as string) : undefined;
      return (input, env) => new Thunk(procedure, args, input, env, name);
    }
    const params = (n.arguments as Ast[]).map((a) => a.value as string);
    const signature = n.signature ? parseSignature(n.signature.definition as string) : undefined;
    const body = this.body(n.body, 1);
    return (input, env) => new Lambda(params, signature, body, input, env);
  }
}

const CONCURRENT_BIND =
  'a variable bound inside an array or object constructor (the interpreter evaluates the members concurrently, so which members see the binding depends on its scheduling)';

/** Names the function an error came from, as the interpreter does, unless something nearer already did. */
function labelled(err: unknown, name: string): unknown {
  if (err && typeof err === 'object' && (err as { token?: unknown }).token === undefined && 'code' in err) {
    (err as { token?: unknown }).token = name;
  }
  return err;
}

/** Every variable name the expression binds: assignments, parameters, focus and index variables, parent slots. */
export function boundNames(ast: Ast): Set<string> {
  const names = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const node = n as Ast;
    if (node.type === 'bind') names.add(node.lhs.value);
    if (node.type === 'lambda') for (const a of node.arguments ?? []) names.add(a.value);
    if (typeof node.focus === 'string') names.add(node.focus);
    if (typeof node.index === 'string') names.add(node.index);
    if (node.type === 'parent') names.add(node.slot.label);
    if (node.ancestor) names.add(node.ancestor.label);
    if (node.type === 'index') names.add(node.value);
    for (const key of Object.keys(node)) {
      if (key !== 'signature' && key !== 'slot' && key !== 'ancestor' && key !== 'seekingParent') walk(node[key]);
    }
  };
  walk(ast);
  return names;
}

/** Whether evaluating `n` can bind a variable in the scope it runs in (blocks and lambdas have their own). */
function bindsHere(n: unknown): boolean {
  if (Array.isArray(n)) return n.some(bindsHere);
  if (!n || typeof n !== 'object') return false;
  const node = n as Ast;
  if (node.type === 'bind') return true;
  if (node.type === 'block' || node.type === 'lambda') return false;
  for (const key of Object.keys(node)) {
    if (key === 'signature' || key === 'slot' || key === 'ancestor' || key === 'seekingParent') continue;
    if (bindsHere(node[key])) return true;
  }
  return false;
}

/** The interpreter labels the procedure object with its name, and so fails on null with a TypeError. */
export function nullProcedure(): TypeError {
  return new TypeError("Cannot set properties of null (setting 'token')");
}

function isBareLiteral(n: Ast): boolean {
  return !hasOwn(n, 'predicate') && !hasOwn(n, 'group') && n.keepArray !== true && n.stages === undefined;
}


function lookupName(input: any, name: string): any {
  if (Array.isArray(input)) return lookupInArray(input, name);
  if (input !== null && typeof input === 'object' && hasOwn(input, name) && !isFunction(input)) return input[name];
  return undefined;
}

function lookupInArray(input: any[], name: string): any {
  const result = createSequence();
  for (let i = 0; i < input.length; i++) {
    const res = lookupName(input[i], name);
    if (res === undefined) continue;
    if (Array.isArray(res)) for (let j = 0; j < res.length; j++) result.push(res[j]);
    else result.push(res);
  }
  return result;
}

function withFilters(code: Code, filters: Filter[]): Code {
  return (input, env) => {
    let result = code(input, env);
    for (let i = 0; i < filters.length; i++) result = filters[i](result, env);
    return result;
  };
}

function withGroup(code: Code, group: Code): Code {
  return (input, env) => group(code(input, env), env);
}

function withCollapse(code: Code, keep: boolean): Code {
  return keep ? (input, env) => collapse(code(input, env), true) : (input, env) => collapse(code(input, env), false);
}

const wildcard: Code = (input) => {
  let results: any = createSequence();
  if (Array.isArray(input) && (input as { outerWrapper?: boolean }).outerWrapper && input.length > 0) input = input[0];
  if (input !== null && typeof input === 'object' && !isFunction(input)) {
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (Array.isArray(value)) results = append(results, flattenInto(value, []));
      else results.push(value);
    }
  }
  return results;
};

const descendants: Code = (input) => {
  if (input === undefined) return undefined;
  const results = createSequence();
  recurseDescendants(input, results);
  return results.length === 1 ? results[0] : results;
};

function recurseDescendants(input: any, results: unknown[]): void {
  if (!Array.isArray(input)) results.push(input);
  if (Array.isArray(input)) {
    for (const member of input) recurseDescendants(member, results);
  } else if (input !== null && typeof input === 'object' && !isFunction(input)) {
    for (const key of Object.keys(input)) recurseDescendants(input[key], results);
  }
}

// Parsed by jsonata itself so the composition has exactly the interpreter's shape (including its tail call).
const COMPOSE_AST = jsonata('function($f, $g) { function($x){ $g($f($x)) } }').ast() as Ast;
