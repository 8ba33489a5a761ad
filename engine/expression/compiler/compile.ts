/**
 * Turns jsonata's syntax tree into closures, one per node, with the interpreter's meaning. The
 * post-processing each node gets from the interpreter's `evaluate` (predicates, group-by, the
 * collapse of sequences, the depth guard) is added only where it can have an effect.
 */
import jsonata from 'jsonata';
import { bindsHere, boundNames, CONCURRENT_BIND } from './analysis.js';
import { builtinCalled, compileApply, compileCall, compileLambda, compilePartial, type CallCompiler } from './calls.js';
import { DELEGATE, enterMeasured, fatal, leaveMeasured, memberReach, settle, staticReach, type Member } from './concurrency.js';
import { compileFilter, type Filter } from './filters.js';
import { lookup as lookupField } from './functions/structures.js';
import { NOT_COMPILED } from './functions/index.js';
import { regexMatcher } from './functions/patterns.js';
import { compileGroup } from './groups.js';
import { depthExceeded } from './guards.js';
import { descendants, wildcard } from './navigation.js';
import { binaryOperator, booleanOperator, negate } from './operators.js';
import { compilePath, type Ast, type PathCompiler } from './paths.js';
import { bind, Env, type Code } from './scope.js';
import { collapse, markConstructed } from './sequences.js';
import { transformer } from './transform.js';
import { truthy } from './values.js';
import { BUILTINS, lookup, outerLookup } from './variables.js';

/** Whether a node's code collapses its own result, and how. */
export type Collapse = 'none' | 'collapse' | 'keep';

/** A construct the compiler leaves to the interpreter; the message is the fallback reason. */
export class NotCompiled extends Error {}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

// Parsed by jsonata itself so the composition has exactly the interpreter's shape (its tail call included).
const COMPOSE_AST = jsonata('function($f, $g) { function($x){ $g($f($x)) } }').ast() as Ast;

/** Nodes whose own result can be a fresh sequence (so the interpreter's collapse matters). */
export function mayYieldSequence(n: Ast): boolean {
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
    // The interpreter collapses every node's result, so a sequence nested in a sequence (from `$map`,
    // say) loses one more level at each node it passes through unchanged.
    case 'condition':
      return mayYieldSequence(n.then) || (n.else !== undefined && mayYieldSequence(n.else));
    case 'block':
      return n.expressions.length > 0 && mayYieldSequence(n.expressions[n.expressions.length - 1]);
    case 'bind':
      return mayYieldSequence(n.rhs);
    default:
      return false;
  }
}

/** Nodes whose value is a child's, passed on (and collapsed once more by the interpreter). */
const PASSING_ON = new Set(['condition', 'block', 'bind']);

/** Nodes the interpreter evaluates without an `await` (unless they carry predicates or a group-by). */
const SYNCHRONOUS = new Set(['name', 'string', 'number', 'value', 'variable', 'wildcard', 'descendant', 'parent', 'regex', 'lambda', 'transform']);

/** Why a regex in the left side of `?:` or `??` is not compiled. */
export const COPIED_REGEX = 'a regex in the left side of ?: or ?? (the interpreter evaluates a copy of it made through JSON, which is no longer that regex)';

/** Why a constructor too wide for the depth limit is not compiled (see concurrency.ts). */
export const TOO_WIDE =
  'an array or object constructor whose members, evaluated concurrently by the interpreter, may together exceed the depth limit';

export class NodeCompiler implements PathCompiler, CallCompiler {
  private bodyCompiler?: NodeCompiler;
  private chain?: Code;
  /** The deepest static depth compiled since `measure` started (constructors count their members together). */
  private reached = 0;
  /** Whether something compiled since `measure` started reaches a depth known only at run time (applies a lambda). */
  private dynamic = false;
  /** What `region` decided for each constructor node, for the generated code (emit.ts). */
  readonly regions = new WeakMap<object, Region>();

  constructor(
    readonly maxDepth: number,
    /** Every name the expression binds somewhere; all others resolve the same way at every point. */
    private readonly bound: ReadonlySet<string>,
    readonly inBody = false,
  ) {}

  static forExpression(ast: Ast, maxDepth: number): NodeCompiler {
    return new NodeCompiler(maxDepth, boundNames(ast));
  }

  isBound(name: string): boolean {
    return this.bound.has(name);
  }

  /** A node at static depth `depth` (the interpreter's evaluation depth below the current function body). */
  node(n: Ast, depth: number): Code {
    const predicates = hasOwn(n, 'predicate') ? (n.predicate as Ast[]) : undefined;
    const grouped = n.type !== 'path' && hasOwn(n, 'group');
    // Depth that can stay open while concurrent members take turns (see concurrency.ts): a node the
    // interpreter evaluates without awaiting anything is entered and left before any other member runs.
    if (depth > this.reached && !(SYNCHRONOUS.has(n.type) && !predicates && !grouped)) this.reached = depth;
    const keep = n.keepArray === true;
    // Paths and variables collapse their own result (cheaper than a wrapper) when nothing comes after.
    // So do conditions, blocks and bindings whose value may be a sequence.
    const own: Collapse =
      !predicates && !grouped && (n.type === 'path' || n.type === 'variable' || (PASSING_ON.has(n.type) && (keep || mayYieldSequence(n)))) ? (keep ? 'keep' : 'collapse') : 'none';
    let code = this.core(n, depth, own);
    if (predicates) code = withFilters(code, this.filters(predicates, depth + 1));
    if (grouped) code = withGroup(code, this.group(n.group.lhs, depth + 1));
    if (own === 'none' && (keep || predicates || (mayYieldSequence(n) && !this.scalarCall(n)))) code = withCollapse(code, keep);
    return this.guarded(code, depth);
  }

  /** A function body (lambda, tail call, transform clause): depth counts from the caller, and is checked. */
  body(n: Ast, depth: number): Code {
    return this.measuredBody(n, depth).code;
  }

  measuredBody(n: Ast, depth: number): Member {
    const c = this.inBody ? this : (this.bodyCompiler ??= new NodeCompiler(this.maxDepth, this.bound, true));
    return c.measure(() => c.node(n, depth));
  }

  /** Compiles with `make`, and says how deep the compiled code reaches, statically, and whether it may reach further at run time. */
  measure(make: () => Code): Member {
    const reached = this.reached;
    const dynamic = this.dynamic;
    this.reached = 0;
    this.dynamic = false;
    const code = make();
    const member = { code, height: this.reached, applies: this.dynamic };
    this.reached = Math.max(reached, member.height);
    this.dynamic = dynamic || member.applies;
    return member;
  }

  /**
   * Members evaluated concurrently (by the interpreter) under a node at static depth `owner`: their
   * combined static reach counts as this node's, and at top level, where depths are known, a
   * constructor that could exceed the limit is left to the interpreter.
   */
  region(owner: number, members: Member[], key: object, fixed = true): Region {
    // A member that can never be suspended (a literal, a field name) adds nothing: its height counts as the owner's.
    const heights = members.map((m) => Math.max(m.height, owner));
    const total = staticReach(owner, heights);
    if (total > this.reached) this.reached = total;
    if (!fixed) this.dynamic = true;
    if (fixed && !this.inBody && total + 1 > this.maxDepth) throw new NotCompiled(TOO_WIDE);
    const region: Region = { owner, heights, measured: members.some((m) => m.applies), limit: this.maxDepth - total - 1, fixed };
    this.regions.set(key, region);
    return region;
  }

  composition(): Code {
    this.chain ??= compileLambda(new NodeCompiler(this.maxDepth, boundNames(COMPOSE_AST), this.inBody), COMPOSE_AST);
    return this.chain;
  }

  variable(name: string, own: Collapse = 'collapse'): Code {
    const finish = own === 'none' ? (v: unknown) => v : own === 'keep' ? (v: unknown) => collapse(v, true) : (v: unknown) => collapse(v, false);
    if (name === '') return (input) => finish(input && input.outerWrapper ? input[0] : input);
    const reason = NOT_COMPILED[name];
    if (reason) throw new NotCompiled(reason);
    if (this.bound.has(name)) return (_input, env) => finish(lookup(env, name));
    if (name === '$') return (_input, env) => finish(env.run.input);
    // Names nothing in the expression binds: the caller's bindings, else a built-in, else nothing.
    const builtin = BUILTINS[name];
    if (builtin !== undefined) return (_input, env) => (env.run.shadowsBuiltins ? finish(outerLookup(env.run, name)) : builtin);
    return (_input, env) => {
      const bindings = env.run.bindings;
      return bindings !== undefined && hasOwn(bindings, name) ? finish(bindings[name]) : undefined;
    };
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

  scalarCall(n: Ast): boolean {
    return n.type === 'function' && builtinCalled(this, n)?.scalar === true;
  }

  filters(predicates: Ast[], depth: number): Filter[] {
    return predicates.map((p) => compileFilter(this.node(p.expr, depth), p.expr.type === 'number' ? p.expr.value : undefined));
  }

  group(pairs: Ast[][], depth: number): Code {
    if (pairs.some((p) => bindsHere(p[1]))) throw new NotCompiled(CONCURRENT_BIND);
    const keys = pairs.map((p) => this.node(p[0], depth));
    const values = pairs.map((p) => this.measure(() => this.node(p[1], depth)));
    const literalKeys = pairs.map((p) => (p[0].type === 'string' && isBareLiteral(p[0]) ? (p[0].value as string) : undefined));
    // Literal keys make a group per pair at most; computed ones, a group per distinct key in the data.
    const fixed = literalKeys.every((k) => k !== undefined);
    const region = this.region(depth - 1, values, pairs, fixed);
    return compileGroup(keys, values, literalKeys, region);
  }

  private core(n: Ast, depth: number, own: Collapse): Code {
    switch (n.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = n.value;
        return () => value;
      }
      case 'variable':
        return this.variable(n.value, own);
      case 'name': {
        const name = n.value as string;
        return (input) => lookupField(input, name);
      }
      case 'path':
        return compilePath(n, depth, this, hasOwn(n, 'group') ? this.group(n.group.lhs, depth + 1) : undefined, own);
      case 'binary':
        return this.binary(n, depth);
      case 'unary':
        return this.unary(n, depth);
      case 'condition': {
        const condition = this.node(n.condition, depth + 1);
        const then = this.node(n.then, depth + 1);
        const otherwise = n.else !== undefined ? this.node(n.else, depth + 1) : undefined;
        if (own === 'none') return (input, env) => (truthy(condition(input, env)) ? then(input, env) : otherwise?.(input, env));
        const keep = own === 'keep';
        return (input, env) => {
          const value = truthy(condition(input, env)) ? then(input, env) : otherwise?.(input, env);
          return value !== null && typeof value === 'object' && value.sequence === true ? collapse(value, keep) : value;
        };
      }
      case 'block': {
        const expressions = (n.expressions as Ast[]).map((e) => this.node(e, depth + 1));
        // A block without bindings of its own would have an empty frame: skip it.
        const ownFrame = bindsHere(n.expressions);
        const keep = own === 'keep';
        return (input, env) => {
          const scope = ownFrame ? new Env(env, env.run) : env;
          let result: any;
          for (let i = 0; i < expressions.length; i++) result = expressions[i](input, scope);
          return own !== 'none' && result !== null && typeof result === 'object' && result.sequence === true ? collapse(result, keep) : result;
        };
      }
      case 'bind': {
        const name = n.lhs.value as string;
        if (NOT_COMPILED[name]) throw new NotCompiled(`binding $${name} (a built-in that is not compiled)`);
        const rhs = this.node(n.rhs, depth + 1);
        const keep = own === 'keep';
        return (input, env) => {
          const value = rhs(input, env);
          bind(env, name, value);
          // The variable holds the value; the binding node answers with it collapsed once more.
          return own !== 'none' && value !== null && typeof value === 'object' && value.sequence === true ? collapse(value, keep) : value;
        };
      }
      case 'regex': {
        // `?:` and `??` copy their left side through JSON, regexes included: the interpreter then
        // matches `/[object Object]/`, without the global flag, and can loop forever.
        if (!(n.value instanceof RegExp)) throw new NotCompiled(COPIED_REGEX);
        const pattern = n.value as RegExp;
        return () => regexMatcher(pattern);
      }
      case 'function':
        if (!builtinCalled(this, n)?.leaf) this.dynamic = true;
        return compileCall(this, n, depth, false);
      case 'partial':
        return compilePartial(this, n, depth);
      case 'apply':
        this.dynamic = true;
        return compileApply(this, n, depth);
      case 'lambda':
        return compileLambda(this, n);
      case 'transform': {
        const clauses = [n.pattern, n.update, ...(n.delete !== undefined ? [n.delete] : [])].map((c: Ast) => this.measuredBody(c, 1));
        const height = Math.max(...clauses.map((c) => c.height));
        return transformer(clauses[0].code, clauses[1].code, clauses[2]?.code, height);
      }
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
        const members = (n.expressions as Ast[]).map((e) => this.measure(() => this.node(e, depth + 1)));
        const items = members.map((m, i) => ({ code: m.code, nested: n.expressions[i].value === '[' }));
        const constructed = n.consarray === true;
        const add = (result: unknown[], i: number, value: unknown) => {
          if (value === undefined) return;
          // `$append` semantics: a value that is an array is spliced in, unless it is itself `[…]`.
          if (items[i].nested || !Array.isArray(value)) result.push(value);
          else for (let j = 0; j < value.length; j++) result.push(value[j]);
        };
        if (items.length < 2) {
          return (input, env) => {
            const result: unknown[] = [];
            for (let i = 0; i < items.length; i++) add(result, i, items[i].code(input, env));
            return constructed ? markConstructed(result) : result;
          };
        }
        // Members the interpreter evaluates concurrently (see concurrency.ts).
        const { owner, heights, measured, limit } = this.region(depth, members, n);
        // Every member is evaluated, even after one failed (see `settle`).
        if (measured) {
          return (input, env) => {
            const run = env.run;
            const base = run.base;
            const concurrent = run.concurrent;
            let total = base + owner;
            let failures = 0;
            let failure: unknown;
            const saved = enterMeasured(run);
            const result: unknown[] = [];
            for (let i = 0; i < items.length; i++) {
              run.peak = 0;
              try {
                add(result, i, items[i].code(input, env));
              } catch (err) {
                if (fatal(err)) throw err;
                if (failures++ === 0) failure = err;
                run.base = base;
                run.concurrent = concurrent + 1;
              }
              total += memberReach(run, base, owner, heights[i]);
            }
            leaveMeasured(run, total, saved);
            if (failures > 0) settle(run, concurrent, failure, failures);
            return constructed ? markConstructed(result) : result;
          };
        }
        return (input, env) => {
          const run = env.run;
          const base = run.base;
          if (base > limit) throw DELEGATE;
          const concurrent = run.concurrent++;
          let failures = 0;
          let failure: unknown;
          const result: unknown[] = [];
          for (let i = 0; i < items.length; i++) {
            try {
              add(result, i, items[i].code(input, env));
            } catch (err) {
              if (fatal(err)) throw err;
              if (failures++ === 0) failure = err;
              run.base = base;
              run.concurrent = concurrent + 1;
            }
          }
          if (failures > 0) settle(run, concurrent, failure, failures);
          run.concurrent = concurrent;
          return constructed ? markConstructed(result) : result;
        };
      }
      case '{':
        return this.group(n.lhs, depth + 1);
      default:
        throw new NotCompiled(`unary operator "${n.value}"`);
    }
  }
}

/** A constructor's concurrent members (see concurrency.ts): how deep each reaches, and what that allows. */
export interface Region {
  /** Static depth of the node whose evaluation stays open while the members run. */
  owner: number;
  heights: number[];
  /** Some member applies lambdas: their depths are measured at run time. */
  measured: boolean;
  /** The highest `run.base` at which the members' static reach stays within the depth limit. */
  limit: number;
  /** As many members as there are here (not a group per distinct key in the data). */
  fixed: boolean;
}

export function isBareLiteral(n: Ast): boolean {
  return !hasOwn(n, 'predicate') && !hasOwn(n, 'group') && n.keepArray !== true && n.stages === undefined;
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
