/**
 * Random mapping-shaped JSONata expressions, with random JSON data and bindings aimed at them, for
 * the differential fuzzer (fuzz.test.ts): a depth-bounded grammar of what mappings are made of
 * (field paths with predicates, `[]`, indexes, `%`, `#$i`, `@$v`, order-by and group-by; object
 * and array constructors; blocks, lambdas and the higher-order built-ins; conditions, `?:`, `??`;
 * operators on mixed types; built-ins called with right and wrong arguments; tricky literals) and
 * payloads keyed by the same field names, plus hostile ones (`__proto__`, `constructor`, empty
 * strings, -0, deep nesting, huge numbers).
 *
 * Expressions are strings built from fast-check choices, so a failure shrinks to a small
 * expression and a small payload. Not every string parses (a `%` with no parent step, say); the
 * fuzzer counts those and moves on, as both evaluators share jsonata's parser.
 */
import fc from 'fast-check';

/** Field names the expressions read and the payloads carry. */
export const FIELDS = [
  'id',
  'name',
  'email',
  'status',
  'items',
  'tags',
  'price',
  'qty',
  'profile',
  'type',
  'value',
  'active',
  'created',
  'first name',
  '__proto__',
  'constructor',
  'a',
  'b',
];

/** Keys the interpreter gives a meaning to when it finds them on its own values (flags, internal markers). */
const HOSTILE_KEYS = ['_jsonata_lambda', '_jsonata_function', 'tupleStream', 'outerWrapper', 'sequence', 'keepSingleton', 'cons', 'length', '@', 'toString', 'hasOwnProperty'];

/** A data key: mostly one the expressions read. */
const dataKey = fc.oneof({ weight: 14, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS) });

/** Variables the evaluation binds from outside (`bindings`). */
export const BOUND_FROM_OUTSIDE = ['ctx', 'n', 's', 'list'];

/** Variables the expressions bind themselves (blocks, lambda parameters, focus and index), or leave unbound. */
const LOCALS = ['$x', '$y', '$v', '$i', '$k', '$acc', '$e'];

export interface FuzzCase {
  expression: string;
  input: unknown;
  bindings: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Data

const STRINGS = [
  '',
  'a',
  'b',
  'Ab c',
  ' padded  text ',
  '42',
  '-1.5',
  '0x1F',
  '1e3',
  'true',
  'null',
  'ACTIVE',
  'active',
  'STAGED',
  '2017-07-13T22:08:42.000Z',
  '2024-02-29',
  'a@example.com',
  'x,y,,z',
  '😀é\u0301ß',
  '__proto__',
  'constructor',
  'name',
  'id',
];

/** Numbers as JSON text (so -0 and 2^53+1 arrive exactly as a parser would hand them over). */
const NUMBER_TEXTS = ['0', '-0', '1', '2', '3', '-1', '-3', '10', '0.5', '1.5', '-2.5', '0.1', '100', '1000', '1e21', '1e-7', '9007199254740993', '123456789012', '2.675', '1e308'];

/** A JSON text, as a tree: objects are lists of entries (so `__proto__` is an ordinary own key after parsing). */
type Tree = { t: 'raw'; text: string } | { t: 'arr'; items: Tree[] } | { t: 'obj'; entries: [string, Tree][] };

function render(tree: Tree): string {
  switch (tree.t) {
    case 'raw':
      return tree.text;
    case 'arr':
      return `[${tree.items.map(render).join(',')}]`;
    case 'obj':
      return `{${tree.entries.map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`).join(',')}}`;
  }
}

const leafTree: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('null') },
  { weight: 2, arbitrary: fc.constantFrom('true', 'false') },
  { weight: 4, arbitrary: fc.constantFrom(...NUMBER_TEXTS) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 50 }).map(String) },
  { weight: 6, arbitrary: fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }).map((s) => JSON.stringify(s)) },
).map((text) => ({ t: 'raw' as const, text }));

const { tree: dataTree } = fc.letrec<{ tree: Tree; arr: Tree; obj: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafTree, tie('obj'), tie('arr')),
  arr: fc
    .oneof(
      { weight: 2, arbitrary: fc.constant([] as Tree[]) },
      { weight: 3, arbitrary: fc.array(tie('tree'), { minLength: 1, maxLength: 1 }) },
      { weight: 4, arbitrary: fc.array(tie('tree'), { minLength: 2, maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(leafTree, { minLength: 5, maxLength: 14 }) },
    )
    .map((items) => ({ t: 'arr' as const, items })),
  obj: fc.array(fc.tuple(dataKey, tie('tree')), { maxLength: 6 }).map((entries) => ({ t: 'obj' as const, entries })),
}));

/** A deeply nested value (arrays in objects in arrays …), to reach recursion limits of `**` and `$string`. */
const deepTree: fc.Arbitrary<Tree> = fc.tuple(fc.integer({ min: 20, max: 60 }), fc.constantFrom(...FIELDS), leafTree).map(([depth, key, leaf]) => {
  let tree: Tree = leaf;
  for (let i = 0; i < depth; i++) tree = i % 2 ? { t: 'arr', items: [tree] } : { t: 'obj', entries: [[key, tree]] };
  return tree;
});

/** Mostly an object at the top, as a provider body is; sometimes an array or a scalar. */
const inputTree: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 12, arbitrary: fc.array(fc.tuple(dataKey, dataTree), { maxLength: 8 }).map((entries) => ({ t: 'obj' as const, entries })) },
  { weight: 2, arbitrary: fc.array(dataTree, { maxLength: 3 }).map((items) => ({ t: 'arr' as const, items })) },
  { weight: 1, arbitrary: leafTree },
  { weight: 1, arbitrary: deepTree },
);

export const jsonData: fc.Arbitrary<unknown> = inputTree.map((t) => JSON.parse(render(t)));

const bindingsArbitrary: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      ctx: dataTree.map((t) => JSON.parse(render(t))),
      n: fc.constantFrom(...NUMBER_TEXTS).map((t) => JSON.parse(t)),
      s: fc.constantFrom(...STRINGS),
      list: fc.array(dataTree, { maxLength: 3 }).map((items) => JSON.parse(render({ t: 'arr', items }))),
      // A binding that hides a built-in (rare in mappings, but the compiler must honour it).
      string: fc.constantFrom('not a function'),
      count: fc.constantFrom(7),
    },
    { requiredKeys: [] },
  )
  .map((b) => b as Record<string, unknown>);

/** Bindings: mostly plain values; now and then one hides a built-in. */
const bindingsOf: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 15, arbitrary: bindingsArbitrary.map(({ string: _s, count: _c, ...rest }) => rest) },
  { weight: 1, arbitrary: bindingsArbitrary },
);

// ---------------------------------------------------------------------------------------------
// Expressions

function nameToken(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !['and', 'or', 'in', 'true', 'false', 'null', 'function'].includes(name) ? name : `\`${name}\``;
}

const field = fc.constantFrom(...FIELDS).map(nameToken);
/** Fields more often read than the hostile ones. */
const commonField = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('id', 'name', 'status', 'items', 'tags', 'price', 'qty', 'profile', 'type', 'value', 'a', 'b') },
  { weight: 2, arbitrary: field },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS).map(nameToken) },
);

const STRING_LITERALS = [
  '""',
  '"a"',
  '"b"',
  '"ACTIVE"',
  '"active"',
  '"42"',
  '"-1.5"',
  '"true"',
  '" padded  text "',
  '"😀é"',
  '"\\u00e9"',
  '"a\\"b"',
  "'single'",
  '"2017-07-13T22:08:42.000Z"',
  '"[Y0001]-[M01]-[D01]"',
  '"x,y"',
  '","',
  '"id"',
  '"name"',
  '"__proto__"',
];
const NUMBER_LITERALS = ['0', '1', '2', '3', '-1', '1.5', '0.1', '100', '1e21', '1e-7', '9007199254740993', '-0', '2.5', '0.5', '-2.5', '10'];
const SPECIAL_LITERALS = ['(0/0)', '(1/0)', '(-1/0)', '(0.1 + 0.2)', '(-0)', '(2 * -0)'];

const literal: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...STRING_LITERALS) },
  { weight: 5, arbitrary: fc.constantFrom(...NUMBER_LITERALS) },
  { weight: 2, arbitrary: fc.constantFrom('true', 'false', 'null') },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_LITERALS) },
);

const variable: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('$', '$$') },
  { weight: 3, arbitrary: fc.constantFrom(...LOCALS) },
  { weight: 2, arbitrary: fc.constantFrom(...BOUND_FROM_OUTSIDE.map((v) => `$${v}`)) },
  { weight: 1, arbitrary: fc.constantFrom('$nope', '$string', '$count') },
);

const REGEXES = ['/a/', '/[0-9]+/', '/^a/i', '/(a)(b)?/', '/\\s+/', '/x*/', '/,/', '/[aeiou]/i', '/(\\w+)@(\\w+)/'];
const regex = fc.constantFrom(...REGEXES);

const COMPARISONS = ['=', '!=', '<', '<=', '>', '>='];
const ARITHMETIC = ['+', '-', '*', '/', '%'];

/**
 * The built-ins a mapping calls, and the arguments each usually takes (one string per usual
 * arity: s string, n number, a array, o object, f function, r regex or string, x anything).
 */
const CALLS: Record<string, string[]> = {
  string: ['x', 'xb'],
  number: ['x'],
  boolean: ['x'],
  not: ['x'],
  exists: ['x'],
  lowercase: ['s'],
  uppercase: ['s'],
  trim: ['s'],
  substring: ['sn', 'snn'],
  substringBefore: ['ss'],
  substringAfter: ['ss'],
  contains: ['sr'],
  join: ['a', 'as'],
  split: ['sr', 'srn'],
  count: ['a'],
  sum: ['a'],
  max: ['a'],
  min: ['a'],
  average: ['a'],
  keys: ['o'],
  lookup: ['os'],
  merge: ['a'],
  append: ['xx'],
  sort: ['a'],
  reverse: ['a'],
  distinct: ['a'],
  type: ['x'],
  length: ['s'],
  replace: ['srs', 'srsn'],
  pad: ['sn', 'sns'],
  round: ['n', 'nn'],
  floor: ['n'],
  ceil: ['n'],
  abs: ['n'],
  sqrt: ['n'],
  power: ['nn'],
  spread: ['o'],
  zip: ['a', 'aa', 'aaa'],
  single: ['a'],
  toMillis: ['s', 'ss'],
  fromMillis: ['n', 'ns', 'nss'],
  formatNumber: ['ns'],
  formatInteger: ['ns'],
  formatBase: ['n', 'nn'],
  parseInteger: ['ss'],
  clone: ['o'],
  match: ['sr', 'srn'],
  base64encode: ['s'],
  base64decode: ['s'],
  encodeUrlComponent: ['s'],
  encodeUrl: ['s'],
  decodeUrlComponent: ['s'],
  decodeUrl: ['s'],
  error: ['s'],
  assert: ['xs'],
};
const CALL_NAMES = Object.keys(CALLS);
/** Built-ins that take one argument, for `~>`, `.$f()` and function values. */
const UNARY_BUILTINS = ['$string', '$number', '$boolean', '$not', '$exists', '$lowercase', '$uppercase', '$trim', '$count', '$sum', '$keys', '$type', '$length', '$reverse', '$distinct', '$sort', '$round', '$abs', '$floor', '$spread'];

function joinArgs(args: string[]): string {
  return args.join(', ');
}

/** Memoised per depth: the grammar's rules. */
class Grammar {
  private memo = new Map<string, fc.Arbitrary<string>>();

  private cached(key: string, make: () => fc.Arbitrary<string>): fc.Arbitrary<string> {
    let a = this.memo.get(key);
    if (!a) {
      a = make();
      this.memo.set(key, a);
    }
    return a;
  }

  /** Any expression. */
  expr(d: number): fc.Arbitrary<string> {
    return this.cached(`expr${d}`, () => {
      if (d <= 0) return fc.oneof({ weight: 3, arbitrary: literal }, { weight: 4, arbitrary: this.simplePath() }, { weight: 2, arbitrary: variable });
      const sub = this.expr(d - 1);
      return fc.oneof(
        { weight: 3, arbitrary: literal },
        { weight: 8, arbitrary: this.path(d) },
        { weight: 2, arbitrary: variable },
        { weight: 4, arbitrary: this.binary(d) },
        { weight: 1, arbitrary: sub.map((e) => `-${wrap(e)}`) },
        { weight: 3, arbitrary: this.condition(d) },
        { weight: 6, arbitrary: this.call(d) },
        { weight: 3, arbitrary: this.object(d) },
        { weight: 2, arbitrary: this.array(d) },
        { weight: 2, arbitrary: this.block(d) },
        { weight: 3, arbitrary: this.higherOrder(d) },
        { weight: 1, arbitrary: this.chain(d) },
        { weight: 1, arbitrary: this.range(d) },
        { weight: 1, arbitrary: this.rare(d) },
      );
    });
  }

  /** A plain field path, `a.b.c`, from the input or a variable. */
  simplePath(): fc.Arbitrary<string> {
    return this.cached('simplePath', () =>
      fc
        .tuple(fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('$.', '$$.', '$ctx.', '$v.', '$x.') }), fc.array(commonField, { minLength: 1, maxLength: 3 }))
        .map(([start, names]) => start + names.join('.')),
    );
  }

  /** A location path: a start, then steps, each with its stages. */
  path(d: number): fc.Arbitrary<string> {
    return this.cached(`path${d}`, () => {
      const sub = d > 0 ? this.expr(d - 1) : literal;
      const start = fc.oneof(
        { weight: 10, arbitrary: commonField },
        { weight: 2, arbitrary: fc.constantFrom('$', '$$', '$ctx', '$list', '$v', '$x') },
        { weight: 1, arbitrary: fc.constantFrom('*', '**') },
        { weight: 1, arbitrary: sub.map((e) => `(${e})`) },
        { weight: 1, arbitrary: this.array(Math.max(0, d - 1)) },
        { weight: 1, arbitrary: fc.constantFrom('$keys($)', '$spread($)', '$each($, function($v, $k) { $k })') },
      );
      const steps = fc.array(this.step(d), { minLength: 0, maxLength: 3 });
      const tail = fc.oneof(
        { weight: 12, arbitrary: fc.constant('') },
        { weight: 2, arbitrary: this.groupBy(d) },
        { weight: 1, arbitrary: fc.constant('[]') },
      );
      return fc.tuple(start, this.stages(d), steps, tail).map(([s, st, rest, t]) => s + st + rest.join('') + t);
    });
  }

  /** `.step` with its stages. */
  private step(d: number): fc.Arbitrary<string> {
    return this.cached(`step${d}`, () => {
      const sub = d > 0 ? this.expr(d - 1) : literal;
      return fc.oneof(
        { weight: 10, arbitrary: fc.tuple(commonField, this.stages(d)).map(([f, s]) => `.${f}${s}`) },
        { weight: 1, arbitrary: fc.constantFrom('.*', '.**', '.%', '.%.%', '.$') },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom('#$i', '@$e'), this.stages(d)).map(([b, s]) => b + s) },
        { weight: 2, arbitrary: this.object(Math.max(0, d - 1)).map((o) => `.${o}`) },
        { weight: 1, arbitrary: this.array(Math.max(0, d - 1)).map((a) => `.${a}`) },
        { weight: 1, arbitrary: sub.map((e) => `.(${e})`) },
        { weight: 1, arbitrary: fc.constantFrom(...UNARY_BUILTINS).map((f) => `.${f}()`) },
        { weight: 1, arbitrary: fc.constantFrom('.$string($)', '.$uppercase()', '.$substring(0, 2)', '.$join(",")', '.$type($)', '.$count($)') },
        { weight: 1, arbitrary: this.orderBy(d) },
      );
    });
  }

  /** Predicates, `[]` and indexes after a step. */
  private stages(d: number): fc.Arbitrary<string> {
    return this.cached(`stages${d}`, () => {
      const one = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('[0]', '[1]', '[-1]', '[-2]', '[0.5]', '[5]', '[[0, 1]]', '[[-1, 0, 0]]') },
        { weight: 4, arbitrary: this.predicate(d).map((p) => `[${p}]`) },
        { weight: 2, arbitrary: fc.constant('[]') },
        { weight: 1, arbitrary: fc.constantFrom('#$i', '@$e') },
      );
      return fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 3, arbitrary: one }, { weight: 1, arbitrary: fc.tuple(one, one).map(([a, b]) => a + b) });
    });
  }

  /** A predicate's expression: mostly a comparison on a field of the item. */
  private predicate(d: number): fc.Arbitrary<string> {
    return this.cached(`predicate${d}`, () => {
      const cmp = fc.tuple(fc.oneof(commonField, fc.constantFrom('$', '$i', '$length($)', '$string($)')), fc.constantFrom(...COMPARISONS, 'in'), literal).map(([f, op, l]) => (op === 'in' ? `${f} in [${l}, "a", 1]` : `${f} ${op} ${l}`));
      const base = fc.oneof({ weight: 5, arbitrary: cmp }, { weight: 2, arbitrary: commonField }, { weight: 1, arbitrary: fc.constantFrom('$', '$i < 2', '$exists(id)', '$type($) = "object"', 'true', 'false', '$i', '$count(tags) > 1') });
      const combined = fc.oneof(
        { weight: 4, arbitrary: base },
        { weight: 2, arbitrary: fc.tuple(base, fc.constantFrom('and', 'or'), base).map(([a, op, b]) => `${a} ${op} ${b}`) },
        { weight: 1, arbitrary: fc.tuple(base).map(([a]) => `$not(${a})`) },
      );
      if (d <= 0) return combined;
      return fc.oneof({ weight: 6, arbitrary: combined }, { weight: 1, arbitrary: this.expr(d - 1) });
    });
  }

  private orderBy(d: number): fc.Arbitrary<string> {
    return this.cached(`orderBy${d}`, () => {
      const term = fc.tuple(fc.constantFrom('', '>', '<'), fc.oneof({ weight: 5, arbitrary: commonField }, { weight: 1, arbitrary: fc.constantFrom('$', '$length(name)', '$string(id)', '-price', '$i') })).map(([dir, t]) => dir + t);
      return fc.array(term, { minLength: 1, maxLength: 2 }).map((terms) => `^(${terms.join(', ')})`);
    });
  }

  /** `{key: value}` after a path: grouping. */
  private groupBy(d: number): fc.Arbitrary<string> {
    return this.cached(`groupBy${d}`, () => {
      const sub = d > 0 ? this.expr(d - 1) : literal;
      const key = fc.oneof({ weight: 4, arbitrary: commonField }, { weight: 2, arbitrary: fc.constantFrom('"k"', '"a"', '$string(id)', '$string($)', 'type & "-" & status', '$i', '1') });
      const value = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('$', 'id', 'price', '$count($)', '$sum(price)', '$count(id)', '$.name', '[id]', '$string($)', '$e', '$i') }, { weight: 2, arbitrary: sub });
      return fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 2 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
    });
  }

  /** `{"k": v, …}`, with literal keys (duplicates now and then) or computed ones. */
  object(d: number): fc.Arbitrary<string> {
    return this.cached(`object${d}`, () => {
      const sub = d > 0 ? this.expr(d - 1) : fc.oneof(literal, this.simplePath());
      const key = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('"id"', '"name"', '"email"', '"tags"', '"x"', '"y"', '""', '"__proto__"', '"constructor"', '"a b"', '"😀"') },
        { weight: 1, arbitrary: fc.constantFrom('name', 'status', '$string(id)', 'type & ""', 'id', '1', '$s') },
      );
      return fc.array(fc.tuple(key, sub), { minLength: 0, maxLength: 4 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
    });
  }

  array(d: number): fc.Arbitrary<string> {
    return this.cached(`array${d}`, () => {
      const sub = d > 0 ? this.expr(d - 1) : fc.oneof(literal, this.simplePath());
      return fc.array(sub, { minLength: 0, maxLength: 4 }).map((items) => `[${items.join(', ')}]`);
    });
  }

  private binary(d: number): fc.Arbitrary<string> {
    return this.cached(`binary${d}`, () => {
      const sub = this.expr(d - 1);
      const op = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...COMPARISONS) },
        { weight: 4, arbitrary: fc.constantFrom(...ARITHMETIC) },
        { weight: 2, arbitrary: fc.constantFrom('&') },
        { weight: 2, arbitrary: fc.constantFrom('and', 'or') },
        { weight: 1, arbitrary: fc.constantFrom('in') },
      );
      return fc.tuple(sub, op, sub, fc.boolean()).map(([l, o, r, parens]) => (parens ? `(${wrap(l)} ${o} ${wrap(r)})` : `${wrap(l)} ${o} ${wrap(r)}`));
    });
  }

  private condition(d: number): fc.Arbitrary<string> {
    return this.cached(`condition${d}`, () => {
      const sub = this.expr(d - 1);
      return fc.oneof(
        { weight: 3, arbitrary: fc.tuple(sub, sub, sub).map(([c, t, e]) => `${wrap(c)} ? ${wrap(t)} : ${wrap(e)}`) },
        { weight: 1, arbitrary: fc.tuple(sub, sub).map(([c, t]) => `(${wrap(c)} ? ${wrap(t)})`) },
        { weight: 2, arbitrary: fc.tuple(sub, sub).map(([a, b]) => `${wrap(a)} ?: ${wrap(b)}`) },
        { weight: 2, arbitrary: fc.tuple(sub, sub).map(([a, b]) => `${wrap(a)} ?? ${wrap(b)}`) },
      );
    });
  }

  /** A built-in named directly, with a usual number of arguments (or one more or fewer). */
  private call(d: number): fc.Arbitrary<string> {
    return this.cached(`call${d}`, () => {
      const sub = this.expr(d - 1);
      const anything = fc.oneof({ weight: 8, arbitrary: sub }, { weight: 1, arbitrary: regex }, { weight: 1, arbitrary: fc.constantFrom('?', 'function($v) { $v }', '$string') });
      const typed = (kind: string) => fc.oneof({ weight: 3, arbitrary: this.typed(kind, d - 1) }, { weight: 1, arbitrary: anything });
      return fc
        .tuple(fc.constantFrom(...CALL_NAMES), fc.integer({ min: 0, max: 5 }), fc.integer({ min: -1, max: 1 }), fc.boolean())
        .chain(([name, pick, delta, method]) => {
          const shapes = CALLS[name];
          let shape = shapes[pick % shapes.length];
          // Now and then one argument too many or too few.
          if (pick === 5 && delta > 0) shape += 'x';
          if (pick === 5 && delta < 0) shape = shape.slice(1);
          return fc.tuple(fc.tuple(...[...shape].map((k) => typed(k))), fc.constant(method ? pick % 3 : -1)).map(([args, how]) => {
            // Now and then the first argument comes from the context: `x.$f(…)` or `x ~> $f(…)`.
            if (args.length > 0 && how === 0) return `${wrap(args[0])}.$${name}(${joinArgs(args.slice(1))})`;
            if (args.length > 0 && how === 1) return `${wrap(args[0])} ~> $${name}(${joinArgs(args.slice(1))})`;
            return `$${name}(${joinArgs(args)})`;
          });
        });
    });
  }

  /** An expression likely (not sure) to give a value of one kind: s string, n number, a array, o object, f function, r matcher, b boolean. */
  typed(kind: string, d: number): fc.Arbitrary<string> {
    return this.cached(`typed${kind}${d}`, () => {
      const sub = d > 0 ? this.expr(d - 1) : literal;
      switch (kind) {
        case 's':
          return fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...STRING_LITERALS) },
            { weight: 3, arbitrary: fc.constantFrom('name', 'status', 'email', 'type', 'created', 'profile.name', '$s', 'items[0].name', 'tags[0]', '`first name`') },
            { weight: 1, arbitrary: sub.map((e) => `$string(${e})`) },
            { weight: 1, arbitrary: fc.tuple(sub, sub).map(([a, b]) => `${wrap(a)} & ${wrap(b)}`) },
            { weight: 1, arbitrary: fc.constantFrom('"\\t a\\n b "', '"$1-$0$$"', '"#,##0.00"', '"[Y0001]-[M01]-[D01]T[H01]:[m01]"', '"w"', '"0"', '"Ab Cd"', '"x"') },
          );
        case 'n':
          return fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...NUMBER_LITERALS) },
            { weight: 3, arbitrary: fc.constantFrom('price', 'qty', 'value', 'id', '$n', '$count(items)', 'items[0].price', '$length(name)', '-qty') },
            { weight: 1, arbitrary: fc.tuple(sub, fc.constantFrom(...ARITHMETIC), sub).map(([a, o, b]) => `${wrap(a)} ${o} ${wrap(b)}`) },
            { weight: 1, arbitrary: fc.constantFrom('1e10', '1510000000000', '-3.7', '2.5', '36', '1', '-5', '(0/0)') },
          );
        case 'a':
          return fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom('items', 'tags', 'items.price', 'items.name', 'items.tags', '$list', '$keys($)', 'profile.*', '**.id') },
            { weight: 2, arbitrary: fc.constantFrom('[1, 2, 3]', '[3, 1, 2]', '["b", "a", "c"]', '[]', '[1]', '["x"]', '[1, "a"]', '[[1, 2], [3]]', '[{"a": 1}, {"b": 2}]', '[{"id": 1}, {"id": 2}]', '[1..5]', '[0.5, -1, 2]') },
            { weight: 1, arbitrary: this.array(Math.max(0, d)) },
          );
        case 'o':
          return fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom('profile', '$', '$ctx', 'items[0]', 'profile.a', '$$', 'items') },
            { weight: 2, arbitrary: fc.constantFrom('{"a": 1, "b": "x"}', '{}', '{"id": id, "name": name}', '{"__proto__": 1}', '{"a": {"b": [1, 2]}}') },
            { weight: 1, arbitrary: this.object(Math.max(0, d)) },
          );
        case 'f':
          return fc.oneof(
            fc.constantFrom(...UNARY_BUILTINS),
            sub.map((b) => `function($v, $i) { ${b} }`),
            fc.constantFrom('function($v) { $v > 1 }', 'function($a, $b) { $a > $b }', 'function($v)<n:n> { $v * 2 }'),
          );
        case 'r':
          return fc.oneof({ weight: 2, arbitrary: regex }, { weight: 2, arbitrary: fc.constantFrom('"a"', '","', '" "', '""', '"@"', '"x"') }, { weight: 1, arbitrary: fc.constantFrom('function($s) { $match($s, /a/) }', 'function($s) { {"start": 0, "end": 1, "match": "a", "groups": []} }') });
        case 'b':
          return fc.constantFrom('true', 'false', 'active', '$exists(id)', 'qty > 1');
        default:
          return sub;
      }
    });
  }

  /** `$map`, `$filter`, `$reduce`, `$sort`, `$single`, `$sift`, `$each` with lambdas (or built-ins). */
  private higherOrder(d: number): fc.Arbitrary<string> {
    return this.cached(`higherOrder${d}`, () => {
      const sub = this.expr(d - 1);
      const list = fc.oneof({ weight: 3, arbitrary: this.path(d - 1) }, { weight: 1, arbitrary: sub });
      const params = fc.constantFrom('$v', '$v, $i', '$v, $i, $a', '');
      const lambda = fc.tuple(params, sub, fc.constantFrom('', '', '', '', '<x-:x>', '<n:n>', '<s-:s>', '<a<n>:n>', '<o?:o>', '<(sn)-:s>', '<j:j>', '<a:a>', '<b-:b>', '<x-n?:x>')).map(([p, body, sig]) => `function(${p})${sig} { ${body} }`);
      const fn = fc.oneof({ weight: 5, arbitrary: lambda }, { weight: 1, arbitrary: fc.constantFrom(...UNARY_BUILTINS) });
      return fc.oneof(
        fc.tuple(list, fn).map(([l, f]) => `$map(${l}, ${f})`),
        fc.tuple(list, fn).map(([l, f]) => `$filter(${l}, ${f})`),
        fc.tuple(list, sub, fc.option(sub, { nil: undefined })).map(([l, body, init]) => `$reduce(${l}, function($acc, $v, $i) { ${body} }${init === undefined ? '' : `, ${init}`})`),
        fc.tuple(list, sub).map(([l, body]) => `$reduce(${l}, function($acc, $v) { $acc + $v })`),
        fc.tuple(list, fc.constantFrom('$a > $b', '$a.price < $b.price', '$string($a) > $string($b)', '$b')).map(([l, c]) => `$sort(${l}, function($a, $b) { ${c} })`),
        fc.tuple(list, fn).map(([l, f]) => `$single(${l}, ${f})`),
        fc.tuple(list, sub).map(([l, body]) => `$sift(${l}, function($v, $k) { ${body} })`),
        fc.tuple(list, sub).map(([l, body]) => `$each(${l}, function($v, $k) { ${body} })`),
        fc.tuple(list, fn).map(([l, f]) => `${wrap(l)}.${f.startsWith('$') ? `${f}($)` : `(${f})($)`}`),
      );
    });
  }

  /** Blocks with bindings, functions bound to names, partial application. */
  private block(d: number): fc.Arbitrary<string> {
    return this.cached(`block${d}`, () => {
      const sub = this.expr(d - 1);
      return fc.oneof(
        fc.tuple(sub, sub).map(([v, body]) => `($x := ${v}; ${body})`),
        fc.tuple(sub, sub, sub).map(([v, w, body]) => `($x := ${v}; $y := ${w}; ${body})`),
        fc.tuple(sub, this.path(d - 1)).map(([body, l]) => `($f := function($v) { ${body} }; $map(${l}, $f))`),
        fc.tuple(sub).map(([body]) => `($f := function($v, $i) { ${body} }; $f(id, 1))`),
        fc.tuple(fc.constantFrom('$substring(?, 0, 2)', '$join(?, ",")', '$replace(?, "a", "b")', '$lookup(?, "id")', '$pad(?, 5)'), sub).map(([p, a]) => `($p := ${p}; $p(${a}))`),
        fc.tuple(sub, sub).map(([a, b]) => `(${a}; ${b})`),
        fc.tuple(sub).map(([a]) => `($x := ${a})`),
        fc.constant('($f := function($n) { $n <= 0 ? 0 : $n + $f($n - 1) }; $f(qty))'),
      );
    });
  }

  private chain(d: number): fc.Arbitrary<string> {
    return this.cached(`chain${d}`, () => {
      const sub = this.expr(d - 1);
      return fc.oneof(
        fc.tuple(sub, fc.constantFrom(...UNARY_BUILTINS)).map(([v, f]) => `${wrap(v)} ~> ${f}`),
        fc.tuple(sub, fc.constantFrom(...UNARY_BUILTINS), fc.constantFrom(...UNARY_BUILTINS)).map(([v, f, g]) => `${wrap(v)} ~> ${f} ~> ${g}`),
        fc.tuple(sub, sub).map(([v, body]) => `${wrap(v)} ~> function($v) { ${body} }`),
        fc.tuple(sub).map(([v]) => `${wrap(v)} ~> $map(function($v) { $v })`),
      );
    });
  }

  private range(d: number): fc.Arbitrary<string> {
    return this.cached(`range${d}`, () => {
      const bound = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('0', '1', '3', '-2', '1.5', 'qty', '$count(items)', 'price', '"1"', '$n') }, { weight: 1, arbitrary: this.expr(d - 1) });
      return fc.tuple(bound, bound, fc.boolean()).map(([a, b, extra]) => (extra ? `[${a}..${b}, 9]` : `[${a}..${b}]`));
    });
  }

  /** Constructs mappings rarely use but the compiler accepts: transforms, regexes, focus and index bindings, `$$` inside lambdas. */
  private rare(d: number): fc.Arbitrary<string> {
    return this.cached(`rare${d}`, () => {
      const sub = this.expr(d - 1);
      return fc.oneof(
        fc.tuple(sub).map(([u]) => `$ ~> | items | {"x": ${u}} |`),
        fc.constantFrom('$ ~> | profile | {"a": 1}, ["name", "id"] |', '| items | {"k": 1} |', '$ ~> | ** | {} |'),
        fc.tuple(sub, regex).map(([s, r]) => `$match(${wrap(s)}, ${r})`),
        fc.tuple(sub, regex, sub).map(([s, r, w]) => `$replace(${wrap(s)}, ${r}, ${w})`),
        fc.tuple(sub, regex).map(([s, r]) => `$split(${wrap(s)}, ${r})`),
        fc.tuple(sub, regex).map(([s, r]) => `$contains(${wrap(s)}, ${r})`),
        // Wide constructors: the interpreter counts the depth of their members together.
        fc.array(fc.tuple(fc.constantFrom('"a"', '"b"', '"c"', '"d"', '"e"', '"f"', '"g"', '"h"', '"i"', '"j"'), sub), { minLength: 5, maxLength: 12 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
        fc.array(sub, { minLength: 5, maxLength: 12 }).map((items) => `[${items.join(', ')}]`),
        fc.constantFrom(
          'items#$i.{"i": $i, "v": $}',
          'items@$e.tags@$t.{"e": $e.id, "t": $t}',
          'items.tags.%.id',
          'items[0].%',
          '$map(items, function($v) { $$.id })',
          'items.(name & $$.id)',
          'items[id = $$.id]',
          '**[type = "a"]',
          'items^(>price)[0]',
          'items#$i[$i > 0].name',
          '$each(profile, function($v, $k) { {$k: $v} }) ~> $merge()',
          '$lookup($, "__proto__")',
          '$keys($.__proto__)',
          '$.`__proto__`.`constructor`',
          'constructor.name',
          '$string($)',
          '$string($, true)',
          '$distinct(items.type)',
          'items.(name & %.id)',
          'items.tags.(%.name)',
          'a.b.%.id',
          'items[%.id = id].name',
          'items.tags[0].%.%.id',
          '($count := 1; $count(items))',
          '($string := function($x) { "s" }; $string(id) & $string(1))',
          '($map := $filter; $map([1, 2], function($v) { $v > 1 }))',
          '$exists := 1',
          '(function($f) { $f(1) })($string)',
          '(function($f) { $f(1) })(function($x) { $x + 1 })',
          '($add := function($a) { function($b) { $a + $b } }; $add(1)(2))',
          '($compose := $uppercase ~> $trim; $compose(" ab "))',
          '$reduce([1, 2, 3], function($acc, $v, $i, $all) { $acc + $v * $i + $count($all) }, 0)',
          '$sort(items, function($a, $b) { $a.price > $b.price }).price',
          'items^(>price, name)[0].name',
          '$each($, function($v, $k) { $k & ":" & $type($v) })',
          '$sift($, function($v) { $type($v) = "number" })',
          '$zip(items.name, items.price, [1, 2])',
          '$keys(items)',
          '$lookup(items, "price")',
          '$merge(items)',
          '$string(items) & $string(profile)',
          '$number(price) + $number(qty)',
          '[1..3].($ * 2)',
          '[1..3]{$string($): $}',
          '$.*[$type($) = "array"]',
          '**.price',
          '$count(**)',
          '$single(items, function($v) { $v.id = 1 })',
          '$toMillis(created)',
          '$fromMillis($toMillis(created), "[Y0001]-[M01]-[D01]")',
          '$formatNumber(price, "#,##0.00")',
          '$formatBase(qty, 2)',
          '$formatInteger(qty, "w")',
          '$parseInteger("twelve", "w")',
          '$uppercase(name) = "ACTIVE" and qty > 1 or $not(active)',
          '$boolean(items) and $boolean(profile) and $boolean(name)',
          '$type(items[0]) & $type(profile.missing) & $type(1/0 > 0)',
        ),
      );
    });
  }
}

/** Parenthesised unless it is obviously one term. */
function wrap(e: string): string {
  return /^[$A-Za-z0-9_."`]+$/.test(e) ? e : `(${e})`;
}

export function expressionArbitrary(maxDepth = 3): fc.Arbitrary<string> {
  const g = new Grammar();
  return fc.integer({ min: 1, max: maxDepth }).chain((d) => g.expr(d));
}

export function fuzzCaseArbitrary(maxDepth = 3): fc.Arbitrary<FuzzCase> {
  return fc.record({ expression: expressionArbitrary(maxDepth), input: jsonData, bindings: bindingsOf });
}
