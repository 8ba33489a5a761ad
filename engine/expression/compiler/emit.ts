/**
 * A second back end for top-level code: JavaScript source for the constructs mappings are made of
 * (literals, field paths, variables, object and array constructors, conditions, blocks and
 * bindings, comparisons, `and`/`or`, direct calls of built-ins), turned into one function with
 * `new Function`. A tree of closures calls through the same few shared call sites for every
 * expression, which V8 cannot inline; one function per expression it can.
 *
 * Each construct's code mirrors the closure `NodeCompiler` builds for it: the same helpers, the same
 * order of evaluation, the same checks and errors. Anything else (lambdas and what runs inside
 * them, general paths, predicates, sorting, transforms, the rarer operators) is that very closure,
 * called from the generated code, and so is every fallback a closure takes (an array where a plain
 * path expected an object, a binding that hides a built-in). The expression is compiled to closures
 * first, so what is refused (and handed to the interpreter) is decided exactly as before.
 *
 * Nothing from the expression is spliced into the source as code: names and literal strings are
 * written with JSON.stringify, other literals and all closures are passed in (`k[i]`), and every
 * identifier in the source is generated here.
 */
import { bindsHere } from './analysis.js';
import { asArgument, directLeaf, labelled } from './calls.js';
import { isBareLiteral, mayYieldSequence, type NodeCompiler, type Region } from './compile.js';
import { DELEGATE } from './concurrency.js';
import { predicateHits } from './filters.js';
import { lookup as lookupField } from './functions/structures.js';
import { constantFields } from './groups.js';
import { tick } from './guards.js';
import { binaryOperator, negateValue } from './operators.js';
import { planPath, type Ast } from './paths.js';
import { symbolOf, uniformItems, type FastShape } from './signature.js';
import { bind, Env, type Code } from './scope.js';
import { collapse, createSequence, isSequence, markConstructed, sequenceOf } from './sequences.js';
import { isDeepEqual, truthy } from './values.js';
import { lookup } from './variables.js';

const hasOwn = Object.hasOwn;

/** What generated code calls, as `h.<name>`. */
const HELPERS = { DELEGATE, collapse, lookup, lookupField, hasOwn, isSequence, truthy, isDeepEqual, bind, Env, markConstructed, asArgument, negateValue, createSequence, sequenceOf, tick, predicateHits, labelled, symbolOf, uniformItems };

type Own = 'none' | 'collapse' | 'keep';

/**
 * The expression as one generated function, or undefined when generating gains nothing (the root
 * itself is a closure) or the platform refuses code generation from strings.
 */
export function emitExpression(c: NodeCompiler, ast: Ast, closures: Code): Code | undefined {
  if (c.inBody) return undefined;
  const e = new Emitter(c);
  const out: string[] = [];
  const value = e.node(ast, 1, 'input', 'env', out);
  if (e.emitted === 0) return undefined;
  e.finish();
  const declared = e.locals.length ? `let ${e.locals.join(', ')};\n` : '';
  // A binding that hides a built-in's name (fixed for the evaluation): the closures, which look the
  // name up at each call as the interpreter does. The generated code calls built-ins directly.
  const shadowed = `if (env.run.shadowsBuiltins) return ${e.external(closures)}(input, env);\n`;
  const source = `"use strict";\nreturn function compiled(input, env) {\n${shadowed}${declared}${out.join('\n')}\nreturn ${value};\n};`;
  try {
    return new Function('k', 'h', source)(e.externals, HELPERS) as Code;
  } catch {
    return undefined;
  }
}

class Emitter {
  readonly externals: unknown[] = [];
  readonly locals: string[] = [];
  /** Nodes turned into source (not closures). */
  emitted = 0;
  /** Locals (and literals) known to hold a boolean. */
  private readonly booleans = new Set<string>(['true', 'false']);
  /** Names some code reads from scopes (a lookup, or a closure whose expression names them). */
  private readonly observed = new Set<string>();
  /** Where variables are bound and scopes made, to drop what nothing reads (see `finish`). */
  private readonly binds: { out: string[]; index: number; name: string; env: string }[] = [];
  private readonly frames: { out: string[]; index: number; scope: string; env: string }[] = [];
  /** Values already computed (walks from the input), by key, and the keys made in each open block. */
  private readonly memos = new Map<string, string>();
  private readonly regions: string[][] = [[]];
  private labels = 0;

  constructor(private readonly c: NodeCompiler) {}

  /** A node's value, with what `NodeCompiler.node` adds around its core (predicates, group-by, collapse). */
  node(n: Ast, depth: number, input: string, env: string, out: string[]): string {
    const c = this.c;
    if (depth > c.maxDepth) return this.opaque(n, c.node(n, depth), input, env, out);
    const predicates = hasOwn(n, 'predicate') ? (n.predicate as Ast[]) : undefined;
    const grouped = n.type !== 'path' && hasOwn(n, 'group');
    const keep = n.keepArray === true;
    const own: Own = (n.type === 'path' || n.type === 'variable') && !predicates && !grouped ? (keep ? 'keep' : 'collapse') : 'none';
    let value = this.core(n, depth, own, input, env, out);
    if (value === undefined) return this.opaque(n, c.node(n, depth), input, env, out);
    this.emitted++;
    // Closures below run in this scope; one that can bind a variable there makes what is known of it unknown.
    if (bindsHere(n) && (predicates || grouped || n.type === 'path')) this.taint(env);
    if (predicates) {
      const filters = c.filters(predicates, depth + 1);
      predicates.forEach((p, i) => {
        this.observe(p.expr);
        value = p.expr.type === 'number' ? this.assign(`${this.ext(filters[i])}(${value}, ${env})`, out) : this.filter(p.expr, filters[i], depth + 1, value as string, env, out);
      });
    }
    if (grouped) {
      this.observe(n.group);
      value = this.assign(`${this.ext(c.group(n.group.lhs, depth + 1))}(${value}, ${env})`, out);
    }
    if (own === 'none' && (keep || predicates || (mayYieldSequence(n) && !c.scalarCall(n)))) value = this.collapse(value, keep, out);
    return value;
  }

  /** The node's own code; undefined (and nothing written) for what stays a closure. */
  private core(n: Ast, depth: number, own: Own, input: string, env: string, out: string[]): string | undefined {
    const c = this.c;
    switch (n.type) {
      case 'string':
      case 'number':
      case 'value':
        return this.literal(n.value);
      case 'variable':
        return this.variable(n.value as string, own, input, env, out);
      case 'name':
        return this.assign(`h.lookupField(${input}, ${JSON.stringify(n.value as string)})`, out);
      case 'path':
        return this.path(n, depth, own, input, env, out);
      case 'binary':
        return this.binary(n, depth, input, env, out);
      case 'unary':
        return this.unary(n, depth, input, env, out);
      case 'condition': {
        const condition = this.node(n.condition, depth + 1, input, env, out);
        const result = this.local();
        this.open(out, `if (${this.truth(condition)}) {`);
        out.push(`${result} = ${this.node(n.then, depth + 1, input, env, out)};`);
        this.close(out, '} else {');
        this.open(out, '');
        out.push(`${result} = ${n.else !== undefined ? this.node(n.else, depth + 1, input, env, out) : 'undefined'};`);
        this.close(out, '}');
        return result;
      }
      case 'block': {
        const expressions = n.expressions as Ast[];
        // A block without bindings of its own would have an empty frame: skip it, as the closure does.
        let scope = env;
        if (bindsHere(expressions)) {
          scope = this.local();
          this.frames.push({ out, index: out.length, scope, env });
          out.push(`${scope} = new h.Env(${env}, ${env}.run);`);
        }
        let result = 'undefined';
        for (const e of expressions) result = this.node(e, depth + 1, input, scope, out);
        return result;
      }
      case 'bind': {
        const name = n.lhs.value as string;
        const value = this.node(n.rhs, depth + 1, input, env, out);
        this.binds.push({ out, index: out.length, name, env });
        out.push(`h.bind(${env}, ${JSON.stringify(name)}, ${value});`);
        // Later reads in this scope take the value from here, while this code is sure to have run.
        const key = `var\0${env}\0${name}`;
        this.memos.set(key, value);
        this.regions[this.regions.length - 1].push(key);
        return value;
      }
      case 'function':
        return this.call(n, depth, input, env, out);
      default:
        return undefined;
    }
  }

  private variable(name: string, own: Own, input: string, env: string, out: string[]): string | undefined {
    let read: string;
    if (name === '') read = `(${input} && ${input}.outerWrapper ? ${input}[0] : ${input})`;
    else if (this.c.isBound(name)) read = this.memos.get(`var\0${env}\0${name}`) ?? this.lookup(env, name);
    else if (name === '$') read = `${env}.run.input`;
    else return undefined;
    const value = this.assign(read, out);
    return own === 'none' ? value : this.collapse(value, own === 'keep', out);
  }

  /** A path of plain field names: read in turn, the general walk as soon as an array shows up (as `compilePath`). */
  private path(n: Ast, depth: number, own: Own, input: string, env: string, out: string[]): string {
    const c = this.c;
    const plan = planPath(n, depth, c, hasOwn(n, 'group') ? c.group(n.group.lhs, depth + 1) : undefined, own);
    this.observe(n);
    const general = this.ext(plan.collapsed);
    if (!plan.plain) return this.assign(`${general}(${input}, ${env})`, out);
    const { variable, names, readVariable } = plan.plain;
    // A walk that starts at the input is the same wherever it is repeated: each prefix is walked once
    // (and reused while the code that walked it is sure to have run); other starts are walked here.
    const base = variable === undefined ? input : variable === '' ? `$${input}` : undefined;
    let start: string;
    if (variable === undefined) start = input;
    else if (variable === '') start = `(${input} && ${input}.outerWrapper ? ${input}[0] : ${input})`;
    else if (c.isBound(variable)) start = this.collapse(this.assign(this.memos.get(`var\0${env}\0${variable}`) ?? this.lookup(env, variable), out), false, out);
    else if (variable === '$') start = this.collapse(this.assign(`${env}.run.input`, out), false, out);
    else start = `${this.ext(readVariable)}(${input}, ${env})`;
    if (base === undefined) start = this.assign(start, out);
    else if (variable === '') start = this.memo(`start\0${base}`, out, () => this.assign(start, out));
    // State of the walk after each step: 0 it stopped (undefined), 1 an array needs the general walk, 2 `value` is there.
    let state = '2';
    let value = start;
    names.forEach((name, i) => {
      const step = () => {
        const key = JSON.stringify(name);
        const s = this.local();
        const v = this.local();
        const x = this.local();
        out.push(
          `if (${state} !== 2) ${s} = ${state}; else if (${value} === null || typeof ${value} !== 'object') ${s} = 0; else if (Array.isArray(${value})) ${s} = 1; ` +
            `else { ${x} = ${value}[${key}]; if (${x} === undefined || !h.hasOwn(${value}, ${key}) || ${value}._jsonata_function === true || ${value}._jsonata_lambda === true) ${s} = 0; else { ${s} = 2; ${v} = ${x}; } }`,
        );
        return `${s},${v}`;
      };
      const at = base === undefined ? step() : this.memo(`walk\0${base}\0${JSON.stringify(names.slice(0, i + 1))}`, out, step);
      [state, value] = at.split(',');
    });
    const finish = () => this.assign(`${state} === 2 ? (Array.isArray(${value}) && h.isSequence(${value}) ? ${general}(${input}, ${env}) : ${value}) : ${state} === 1 ? ${general}(${input}, ${env}) : undefined`, out);
    return base === undefined ? finish() : this.memo(`path\0${base}\0${own}\0${JSON.stringify(names)}`, out, finish);
  }

  private binary(n: Ast, depth: number, input: string, env: string, out: string[]): string | undefined {
    const op = n.value as string;
    if (op === 'and' || op === 'or') {
      const result = this.local();
      out.push(`${result} = ${this.truth(this.node(n.lhs, depth + 1, input, env, out))};`);
      this.open(out, op === 'and' ? `if (${result}) {` : `if (!${result}) {`);
      out.push(`${result} = ${this.truth(this.node(n.rhs, depth + 1, input, env, out))};`);
      this.close(out, '}');
      this.booleans.add(result);
      return result;
    }
    const operator = binaryOperator(op);
    if (!operator) return undefined;
    const lhs = this.node(n.lhs, depth + 1, input, env, out);
    const rhs = this.node(n.rhs, depth + 1, input, env, out);
    if (op === '=' || op === '!=') {
      // Against a literal string, number, boolean or null, deep equality is identity (and undefined never equals it).
      const literal = this.literalValue(n.rhs) !== undefined ? rhs : this.literalValue(n.lhs) !== undefined ? lhs : undefined;
      const other = literal === rhs ? lhs : rhs;
      const test =
        literal !== undefined
          ? op === '='
            ? `${other} === ${literal}`
            : `${other} !== undefined && ${other} !== ${literal}`
          : `${lhs} === undefined || ${rhs} === undefined ? false : ${op === '=' ? '' : '!'}h.isDeepEqual(${lhs}, ${rhs})`;
      const result = this.assign(test, out);
      this.booleans.add(result);
      return result;
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      // Two numbers or two strings compare directly; anything else (undefined, a type error) as the operator says.
      const literal = this.literalValue(n.rhs) ?? this.literalValue(n.lhs);
      const kind = literal === undefined ? undefined : literal.startsWith('"') ? 'string' : /^-?[0-9]/.test(literal) ? 'number' : undefined;
      if (kind) {
        const other = this.literalValue(n.rhs) !== undefined ? lhs : rhs;
        const result = this.assign(`typeof ${other} === '${kind}' ? ${lhs} ${op} ${rhs} : ${this.ext(operator)}(${lhs}, ${rhs}, ${env})`, out);
        return result;
      }
    }
    return this.assign(`${this.ext(operator)}(${lhs}, ${rhs}, ${env})`, out);
  }

  private unary(n: Ast, depth: number, input: string, env: string, out: string[]): string | undefined {
    switch (n.value) {
      case '-':
        return this.assign(`h.negateValue(${this.node(n.expression, depth + 1, input, env, out)})`, out);
      case '[': {
        const items = n.expressions as Ast[];
        if (items.length > 1 && items.some(bindsHere)) return undefined;
        const result = this.local();
        out.push(`${result} = [];`);
        const region = items.length > 1 ? this.enter(this.c.regions.get(n), env, out) : undefined;
        items.forEach((item, i) => {
          region?.before(out);
          const value = this.node(item, depth + 1, input, env, out);
          // `$append` semantics: a value that is an array is spliced in, unless it is itself `[…]`.
          if (item.value === '[') out.push(`if (${value} !== undefined) ${result}.push(${value});`);
          else out.push(`if (${value} !== undefined) { if (!Array.isArray(${value})) ${result}.push(${value}); else for (let j = 0; j < ${value}.length; j++) ${result}.push(${value}[j]); }`);
          region?.after(i, out);
        });
        region?.leave(out);
        if (n.consarray === true) out.push(`${result} = h.markConstructed(${result});`);
        return result;
      }
      case '{':
        return this.object(n.lhs as Ast[][], depth + 1, input, env, out);
      default:
        return undefined;
    }
  }

  /** An object constructor with literal, distinct keys over one input (as `compileGroup`); else the closure. */
  private object(pairs: Ast[][], depth: number, input: string, env: string, out: string[]): string | undefined {
    if (pairs.some((p) => bindsHere(p[1]))) return undefined;
    const fields = constantFields(pairs.map((p) => (p[0].type === 'string' && isBareLiteral(p[0]) ? (p[0].value as string) : undefined)));
    if (!fields) return undefined;
    this.observe(pairs);
    const closure = this.ext(this.c.group(pairs, depth));
    const result = this.local();
    this.open(out, `if (Array.isArray(${input}) || (${input} && ${input}.tupleStream)) { ${result} = ${closure}(${input}, ${env}); } else {`);
    const literal = fields.every((f) => this.literalValue(pairs[f.index][1]) !== undefined);
    if (literal) {
      // Literal values are never undefined (nor fail): the object literal has every field, in the same order.
      out.push(`${result} = {${fields.map((f) => `${JSON.stringify(f.key)}: ${this.node(pairs[f.index][1], depth, input, env, out)}`).join(', ')}};`);
    } else {
      out.push(`${result} = {};`);
      // The values are evaluated concurrently by the interpreter (see concurrency.ts).
      const region = fields.length > 1 ? this.enter(this.c.regions.get(pairs), env, out, fields.map((f) => f.index)) : undefined;
      fields.forEach((f, i) => {
        region?.before(out);
        const value = this.node(pairs[f.index][1], depth, input, env, out);
        out.push(`if (${value} !== undefined) ${result}[${JSON.stringify(f.key)}] = ${value};`);
        region?.after(i, out);
      });
      region?.leave(out);
    }
    this.close(out, '}');
    return result;
  }

  /** A direct call of a built-in that never calls back (as `compileCall`'s fast case); else the closure. */
  private call(n: Ast, depth: number, input: string, env: string, out: string[]): string | undefined {
    const builtin = directLeaf(this.c, n, depth);
    if (!builtin) return undefined;
    // Built-ins are called directly: a binding that hides one sends the whole evaluation to the closures.
    const result = this.local();
    const args: string[] = [];
    for (const arg of n.arguments as Ast[]) {
      const value = this.node(arg, depth + 1, input, env, out);
      // A literal is never a function: nothing to wrap.
      // `asArgument`: only a function value is wrapped (the test inline, the wrapping not).
      args.push(
        this.literalValue(arg) !== undefined
          ? value
          : this.assign(`typeof ${value} === 'object' ? (${value} !== null && (${value}._jsonata_function === true || ${value}._jsonata_lambda === true) ? h.asArgument(${value}, ${env}.run) : ${value}) : typeof ${value} === 'function' ? h.asArgument(${value}, ${env}.run) : ${value}`, out),
      );
    }
    const argv = this.assign(`[${args.join(', ')}]`, out);
    // What `leafInvoker` does, with the signature's fast path checked here (so both calls are direct).
    const signature = builtin.signature!;
    const accepted = this.accepts(signature.shape, args);
    const validated = accepted === 'true' ? argv : `${accepted} ? ${argv} : ${this.ext(signature)}.validate(${argv}, ${input})`;
    out.push(`try { ${result} = ${this.ext(builtin.impl)}(${validated}, ${env}.run, ${input}); } catch (e) { throw h.labelled(e, ${JSON.stringify(builtin.name)}); }`);
    return result;
  }

  /** A predicate over a sequence (as `compileFilter`): each item is kept as often as the predicate says. A tuple stream takes the closure. */
  private filter(predicate: Ast, closure: unknown, depth: number, value: string, env: string, out: string[]): string {
    const result = this.local();
    const items = this.local();
    const item = this.local();
    const i = `i${this.labels++}`;
    this.open(out, `if (${value} && ${value}.tupleStream) { ${result} = ${this.ext(closure)}(${value}, ${env}); } else {`);
    out.push(`${result} = h.createSequence();`);
    out.push(`${items} = Array.isArray(${value}) ? ${value} : h.sequenceOf(${value});`);
    this.open(out, `for (let ${i} = 0; ${i} < ${items}.length; ${i}++) {`);
    out.push(`h.tick(${env}.run);`);
    out.push(`${item} = ${items}[${i}];`);
    const keep = this.node(predicate, depth, item, env, out);
    if (this.booleans.has(keep)) out.push(`if (${keep}) ${result}.push(${item});`);
    else out.push(`for (let n = h.predicateHits(${keep}, ${i}, ${items}.length); n > 0; n--) ${result}.push(${item});`);
    this.close(out, '}');
    this.close(out, '}');
    return result;
  }

  /** The signature's fast-path test for these arguments, as source (`'false'`: always the full validation). */
  private accepts(shape: FastShape | undefined, args: string[]): string {
    if (!shape || args.length < shape.min || args.length > shape.max) return 'false';
    const tests: string[] = [];
    args.forEach((a, i) => {
      const p = shape.params[i];
      if (p.array) tests.push(p.item === undefined ? `Array.isArray(${a})` : `(Array.isArray(${a}) && h.uniformItems(${a}, ${JSON.stringify(p.item)}))`);
      else if (p.symbols === 'asnblfom') return;
      else if (p.symbols === 'sm') tests.push(`(${a} === undefined || typeof ${a} === 'string')`);
      else if (p.symbols === 'nm') tests.push(`(${a} === undefined || typeof ${a} === 'number')`);
      else if (p.symbols === 'bm') tests.push(`(${a} === undefined || typeof ${a} === 'boolean')`);
      else tests.push(`${JSON.stringify(p.symbols)}.indexOf(h.symbolOf(${a})) !== -1`);
    });
    return tests.length ? tests.join(' && ') : 'true';
  }

  /**
   * A concurrent region at top level, as `NodeCompiler` compiled it (see concurrency.ts): the
   * counter that sends errors to the interpreter and, for members that apply lambdas, the depth
   * they reach at run time. Top-level code runs at base 0, and the static reach was checked when
   * the closures were compiled. `order`: which member each evaluated one is (default: in order).
   */
  private enter(region: Region | undefined, env: string, out: string[], order?: number[]): { before(out: string[]): void; after(i: number, out: string[]): void; leave(out: string[]): void } {
    if (!region) throw new Error('a constructor the closures compiled has no region');
    const run = this.assign(`${env}.run`, out);
    out.push(`${run}.concurrent++;`);
    if (!region.measured) return { before() {}, after() {}, leave: (o) => o.push(`${run}.concurrent--;`) };
    const saved = this.assign(`${run}.peak`, out);
    const total = this.assign(String(region.owner), out);
    return {
      before: (o) => o.push(`${run}.peak = 0;`),
      after: (i, o) => {
        const height = region.heights[order ? order[i] : i];
        o.push(`${total} += (${run}.peak > ${height} ? ${run}.peak : ${height}) - ${region.owner};`);
      },
      leave: (o) => o.push(`if (${total} + 1 > ${run}.maxDepth) throw h.DELEGATE;`, `${run}.peak = ${total} > ${saved} ? ${total} : ${saved};`, `${run}.concurrent--;`),
    };
  }

  /** `truthy(value)`, without the call when the value is known to be a boolean. */
  private truth(value: string): string {
    return this.booleans.has(value) ? value : `h.truthy(${value})`;
  }

  /** A literal node's source, or undefined for any other node. */
  private literalValue(n: Ast): string | undefined {
    if ((n.type !== 'string' && n.type !== 'number' && n.type !== 'value') || hasOwn(n, 'predicate') || hasOwn(n, 'group') || n.keepArray === true) return undefined;
    const v = n.value;
    return typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) ? JSON.stringify(v) : undefined;
  }

  private literal(value: unknown): string {
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
    if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) return JSON.stringify(value);
    return this.ext(value);
  }

  private opaque(n: Ast, code: Code, input: string, env: string, out: string[]): string {
    if (bindsHere(n)) this.taint(env);
    this.observe(n);
    return this.assign(`${this.ext(code)}(${input}, ${env})`, out);
  }

  private lookup(env: string, name: string): string {
    this.observed.add(name);
    return `h.lookup(${env}, ${JSON.stringify(name)})`;
  }

  /** Every variable `ast` (code a closure runs) may read from a scope. */
  private observe(ast: unknown): void {
    if (Array.isArray(ast)) return ast.forEach((a) => this.observe(a));
    if (!ast || typeof ast !== 'object') return;
    const n = ast as Ast;
    if (n.type === 'variable' && typeof n.value === 'string') this.observed.add(n.value);
    if (n.type === 'parent' && n.slot?.label) this.observed.add(n.slot.label);
    for (const value of Object.values(n)) if (value && typeof value === 'object') this.observe(value);
  }

  /**
   * Bindings nothing reads are not made: every read in the generated code took the bound value
   * directly, and no closure names the variable. A scope left without bindings is not made either
   * (the code in it, and closures, see its parent, which is what an empty scope shows them).
   */
  finish(): void {
    const kept = new Set<string>();
    for (const b of this.binds) {
      if (this.observed.has(b.name)) kept.add(b.env);
      else b.out[b.index] = '';
    }
    for (const f of this.frames) if (!kept.has(f.scope)) f.out[f.index] = `${f.scope} = ${f.env};`;
  }

  /** Forgets the values of the variables bound in scope `env` (a closure may bind any of them). */
  private taint(env: string): void {
    const prefix = `var\0${env}\0`;
    for (const key of [...this.memos.keys()]) if (key.startsWith(prefix)) this.memos.delete(key);
  }

  /** Opens a block whose code may not run: what is remembered inside it is forgotten when it closes. */
  private open(out: string[], line: string): void {
    if (line) out.push(line);
    this.regions.push([]);
  }

  private close(out: string[], line: string): void {
    for (const key of this.regions.pop() ?? []) this.memos.delete(key);
    out.push(line);
  }

  /** The value `make` writes, made once and reused for the same key until the block it was made in closes. */
  private memo(key: string, out: string[], make: () => string): string {
    const found = this.memos.get(key);
    if (found !== undefined) return found;
    const made = make();
    this.memos.set(key, made);
    this.regions[this.regions.length - 1].push(key);
    return made;
  }

  /** `collapse(value, keep)`: only a sequence changes (the test inline, the work not). */
  private collapse(value: string, keep: boolean, out: string[]): string {
    return this.assign(`${value} !== null && typeof ${value} === 'object' && ${value}.sequence === true && Array.isArray(${value}) ? h.collapse(${value}, ${keep}) : ${value}`, out);
  }

  private assign(expression: string, out: string[]): string {
    const name = this.local();
    out.push(`${name} = ${expression};`);
    return name;
  }

  private local(): string {
    const name = `t${this.locals.length}`;
    this.locals.push(name);
    return name;
  }

  external(value: unknown): string {
    return this.ext(value);
  }

  private ext(value: unknown): string {
    let i = this.externals.indexOf(value);
    if (i < 0) i = this.externals.push(value) - 1;
    return `k[${i}]`;
  }
}
