/**
 * The JSONata semantics a mapping leans on, pinned down on the compiler and checked against the
 * interpreter: sequences, flattening, `[]`, `$` and `$$`, undefined, text, types, guards.
 */
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { canonical, outcomeOf, unchanged } from './support/fuzz-outcome.js';
import {
  CompilingExpressionCompiler,
  ExpressionError,
  ExpressionSyntaxError,
  JsonataInterpreter,
  type EvaluationLimits,
} from '../../engine/expression/index.js';

const compiler = new CompilingExpressionCompiler();
const interpreter = new JsonataInterpreter();

function compiled(source: string, input?: unknown, bindings?: Record<string, unknown>): unknown {
  const expression = compiler.compile(source);
  expect(expression.mode, expression.fallbackReason).toBe('compiled');
  const result = expression.evaluate(input, bindings);
  expect(result).not.toBeInstanceOf(Promise);
  return result;
}

/** As JSON sees it: a sequence is an array like any other. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** The compiled answer (as JSON), after checking the interpreter gives the same one. */
async function same(source: string, input?: unknown, bindings?: Record<string, unknown>): Promise<unknown> {
  const mine = plain(compiled(source, structuredClone(input), bindings));
  const theirs = plain(await interpreter.compile(source).evaluate(structuredClone(input), bindings));
  expect(mine).toEqual(theirs);
  return mine;
}

async function failsLikeInterpreter(source: string, code: string, input?: unknown, limits?: EvaluationLimits): Promise<ExpressionError> {
  const expression = (limits ? new CompilingExpressionCompiler(limits) : compiler).compile(source);
  expect(expression.mode).toBe('compiled');
  let error: unknown;
  try {
    expression.evaluate(structuredClone(input));
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ExpressionError);
  expect((error as ExpressionError).code).toBe(code);
  await expect((limits ? new JsonataInterpreter(limits) : interpreter).compile(source).evaluate(structuredClone(input))).rejects.toMatchObject({ code });
  return error as ExpressionError;
}

const user = {
  id: 'u1',
  profile: { first: 'Ada', last: 'Lovelace', email: null },
  emails: [{ value: 'ada@example.com', primary: true }],
  groups: [
    { name: 'a', members: [{ id: 1 }, { id: 2 }] },
    { name: 'b', members: [{ id: 3 }] },
  ],
};

describe('sequences', () => {
  it('a path to one value gives the value, to several an array, to none nothing', async () => {
    expect(await same('emails.value', user)).toBe('ada@example.com');
    expect(await same('groups.name', user)).toEqual(['a', 'b']);
    expect(await same('groups.missing', user)).toBeUndefined();
  });

  it('nested arrays flatten along a path', async () => {
    expect(await same('groups.members.id', user)).toEqual([1, 2, 3]);
    expect(await same('groups[0].members.id', user)).toEqual([1, 2]);
  });

  it('`[]` keeps a singleton an array, wherever it is written', async () => {
    expect(await same('emails[].value', user)).toEqual(['ada@example.com']);
    expect(await same('emails.value[]', user)).toEqual(['ada@example.com']);
    expect(await same('emails[]', user)).toEqual(user.emails);
  });

  it('array constructors keep their shape and splice in sequences', async () => {
    expect(await same('[emails.value]', user)).toEqual(['ada@example.com']);
    expect(await same('[groups.name, "c"]', user)).toEqual(['a', 'b', 'c']);
    expect(await same('[[1, 2], [3]]')).toEqual([
      [1, 2],
      [3],
    ]);
  });

  it('a top-level array is one value, not a sequence of them', async () => {
    expect(await same('$count($)', [1, 2, 3])).toBe(3);
    expect(await same('$[1]', [1, 2, 3])).toBe(2);
  });
});

describe('context: `$` and `$$`', () => {
  it('`$` is the item a predicate or step is looking at, `$$` the whole input', async () => {
    expect(await same('[1, 2, 3][$ > 1]')).toEqual([2, 3]);
    expect(await same('groups[$.name = "b"].members.id', user)).toBe(3);
    expect(await same('groups.{"group": name, "user": $$.id}', user)).toEqual([
      { group: 'a', user: 'u1' },
      { group: 'b', user: 'u1' },
    ]);
  });

  it('numbers in predicates index, from the end when negative', async () => {
    expect(await same('groups[-1].name', user)).toBe('b');
    expect(await same('groups[[0, 1]].name', user)).toEqual(['a', 'b']);
  });
});

describe('undefined', () => {
  it('propagates through operators and functions, and drops keys from objects', async () => {
    expect(await same('missing + 1', user)).toBeUndefined();
    expect(await same('$uppercase(missing)', user)).toBeUndefined();
    expect(await same('{"id": id, "nick": profile.nick, "email": profile.email}', user)).toEqual({ id: 'u1', email: null });
  });

  it('compares as false, and `and`/`or` treat it as false', async () => {
    expect(await same('missing = 1', user)).toBe(false);
    expect(await same('missing != 1', user)).toBe(false);
    expect(await same('missing or true', user)).toBe(true);
    expect(await same('missing < 1', user)).toBeUndefined();
  });
});

describe('text and numbers', () => {
  it('`&` and $string write numbers with 15 significant digits', async () => {
    expect(await same('1 & 2')).toBe('12');
    expect(await same('0.1 + 0.2 & ""')).toBe('0.3');
    expect(await same('$string(1/3)')).toBe('0.333333333333333');
    expect(await same('$string(1e21)')).toBe('1e+21');
    expect(await same('$string({"a": 0.1 + 0.2, "b": [1.5, true, null]})')).toBe('{"a":0.3,"b":[1.5,true,null]}');
    expect(await same('"n=" & null & true')).toBe('n=nulltrue');
  });

  it('counts characters as code points', async () => {
    expect(await same('$length("😀ab")')).toBe(3);
    expect(await same('$substring("😀ab", 1)')).toBe('ab');
  });
});

describe('type errors carry the interpreter\u2019s codes', () => {
  it.each([
    ['1 < "a"', 'T2009'],
    ['"a" > 1', 'T2009'],
    ['{} < 1', 'T2010'],
    ['null <= 1', 'T2010'],
    ['"a" + 1', 'T2001'],
    ['1 - "a"', 'T2002'],
    ['-"a"', 'D1002'],
    ['$number("twelve")', 'D3030'],
    ['$string(1/0)', 'D3001'],
    ['1/0 + 1', 'D1001'],
    ['$sum(["a"])', 'T0412'],
    ['$uppercase(1)', 'T0410'],
    ['$substringBefore(1, "a")', 'T0410'],
    ['groups.members.id.$uppercase()', 'T0411'],
    ['{"a": 1, "a": 2}', 'D1009'],
    ['{1: 2}', 'T1003'],
    ['[1..1.5]', 'T2004'],
    ['$nothing()', 'T1006'],
    ['$error("stop")', 'D3137'],
  ])('%s → %s', async (source, code) => {
    await failsLikeInterpreter(source, code, user);
  });

  it('keeps the function name and message, as the interpreter reports them', async () => {
    const error = await failsLikeInterpreter('$uppercase(1)', 'T0410');
    expect(error.message).toBe('Argument 1 of function "uppercase" does not match function signature');
    expect((error as ExpressionError & { token?: string }).token).toBe('uppercase');
  });
});

describe('guards', () => {
  const tight = { timeoutMs: 50, maxDepth: 200 };

  it('stops an endless loop with D1012, marked as a guard', async () => {
    const error = await failsLikeInterpreter('($loop := function($n) { $loop($n + 1) }; $loop(0))', 'D1012', undefined, tight);
    expect(error.guard).toBe(true);
  });

  it('stops runaway recursion with D1011 at the interpreter\u2019s depth', async () => {
    const limits = { timeoutMs: 1000, maxDepth: 302 };
    const factorial = (n: number) => `($f := function($n) { $n = 0 ? 1 : $n * $f($n - 1) }; $f(${n}))`;
    const c = new CompilingExpressionCompiler(limits);
    // The interpreter counts nested evaluations; 99 levels fit in 302, 100 do not (the suite's own case).
    expect(c.compile(factorial(99)).evaluate(undefined)).toBeCloseTo(9.33262154439441e155);
    const error = await failsLikeInterpreter(factorial(100), 'D1011', undefined, limits);
    expect(error.guard).toBe(true);
  });

  it('runs tail calls in constant depth, as the interpreter does', async () => {
    expect(await same('($count := function($n, $acc) { $n = 0 ? $acc : $count($n - 1, $acc + 1) }; $count(5000, 0))')).toBe(5000);
  });
});

describe('evaluation', () => {
  it('is synchronous and leaves its input untouched (the interpreter marks arrays reached through `[]`)', async () => {
    const input = structuredClone(user);
    const expression = compiler.compile('emails[]');
    expect(plain(expression.evaluate(input))).toEqual(user.emails);
    expect(input).toStrictEqual(user);
    expect(Object.keys(input.emails)).toEqual(['0']);
    const marked = structuredClone(user);
    await jsonata('emails[]').evaluate(marked);
    expect(Object.keys(marked.emails)).toContain('keepSingleton');
  });

  it('reads bindings as variables, and a binding may hide a built-in', async () => {
    expect(await same('$context.domain & "/" & $status', {}, { context: { domain: 'acme.example' }, status: 200 })).toBe('acme.example/200');
    expect(await same('$string(1)', {}, { string: (x: unknown) => `<${String(x)}>` })).toBe('<1>');
  });

  it('binds variables in blocks, scoped to the block', async () => {
    expect(await same('($x := 1; ($x := 2); $x)')).toBe(1);
    expect(await same('($x := 1; $f := function() { $x }; ($x := 2; $f()))')).toBe(1);
  });
});

describe('what is not compiled', () => {
  it('runs on the interpreter, with the reason', async () => {
    const expression = compiler.compile('$eval("1 + 1")');
    expect(expression.mode).toBe('interpreted');
    expect(expression.fallbackReason).toMatch(/\$eval is not compiled/);
    expect(await expression.evaluate({})).toBe(2);
  });

  it('a binding made inside a constructor member runs interpreted (its members run concurrently there)', () => {
    const expression = compiler.compile('[$x := 1, $x]');
    expect(expression.mode).toBe('interpreted');
    expect(expression.fallbackReason).toMatch(/concurrently/);
  });
});

describe('syntax errors', () => {
  it.each(['{"a": }', 'a.(b', '$f(', '"open', 'a ~> ', '[1,2'])('%s fails as it does in the interpreter', (source) => {
    const mine = catchSyntax(() => compiler.compile(source, { file: 'f.yaml', path: 'mapping', line: 3, col: 5 }));
    const theirs = catchSyntax(() => interpreter.compile(source, { file: 'f.yaml', path: 'mapping', line: 3, col: 5 }));
    expect({ code: mine.code, offset: mine.offset, token: mine.token, origin: mine.origin }).toEqual({
      code: theirs.code,
      offset: theirs.offset,
      token: theirs.token,
      origin: theirs.origin,
    });
  });
});

function catchSyntax(fn: () => unknown): ExpressionSyntaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a syntax error');
}

/**
 * Mismatches the differential fuzzer (fuzz.test.ts) found, minimised: each runs through the
 * closures and the generated code, and must give the interpreter's outcome (value, or error code),
 * leaving its input as it was. `mode` says whether the compiler takes the expression at all.
 */
describe('found by the differential fuzzer', () => {
  type Case = [source: string, input: unknown, expected: string, mode?: 'compiled' | 'interpreted', limits?: EvaluationLimits, bindings?: Record<string, unknown>];

  /** The outcome without an error's message (only codes are compared). */
  const outcome = async (...args: Parameters<typeof outcomeOf>) => {
    const o = await outcomeOf(...args);
    return 'code' in o ? { code: o.code } : o;
  };

  async function agrees([source, input, expected, mode = 'compiled', limits, bindings = {}]: Case): Promise<void> {
    const reference = await outcome((limits ? new JsonataInterpreter(limits) : interpreter).compile(source), structuredClone(input), structuredClone(bindings));
    expect(reference, 'the interpreter').toEqual(expected.startsWith('error ') ? { code: expected.slice(6) } : { value: expected });
    for (const emitAfter of [false, 0] as const) {
      const expression = new CompilingExpressionCompiler(limits, undefined, emitAfter).compile(source);
      expect(expression.mode, expression.fallbackReason).toBe(mode);
      const given = structuredClone(input);
      const givenBindings = structuredClone(bindings);
      expect(await outcome(expression, given, givenBindings), `${emitAfter === false ? 'closures' : 'generated code'}`).toEqual(reference);
      expect(unchanged({ given, givenBindings }, { given: input, givenBindings: bindings }), 'the evaluation changed its input').toBe(true);
    }
  }

  it.each<Case>([
    // The interpreter evaluates constructor members concurrently: which error wins depends on its scheduling.
    ['[$sum("x"), "a" - 1]', {}, 'error T2001'],
    ['{"a": $uppercase(1), "b": 1 - "x"}', {}, 'error T2002'],
    // …and its depth counter adds up concurrent members (see also the wide constructors below).
    ['[x, y]', {}, 'error D1011', 'interpreted', { timeoutMs: 1000, maxDepth: 3 }],
    ['($#$i[]) = (0 ~> function($v) { {"__proto__": "", "id": x, "name": id} })', {}, 'error D1011', 'compiled', { timeoutMs: 1000, maxDepth: 6 }],
    // A built-in partially applied runs its raw implementation, unchecked.
    ['($p := $substring(?, 0, 2); $p(10))', {}, 'error EVAL'],
    ['($p := $substring(?, 0, 2); $p("hello"))', {}, '"he"'],
    ['($p := $join(?, ","); $p("a"))', {}, 'error EVAL'],
    ['$string(?)', {}, 'error S0208'],
    // A missing width pads nothing.
    ['$pad("", value)', {}, '""'],
    // Every node collapses its result, so a sequence in a sequence loses a level at a condition too.
    ['[0.5] ? $map([{"id": ""}], $spread)', [], '{"id":""}'],
    ['($x := $map([{"id": ""}], $spread))', {}, '{"id":""}'],
    // `[]` in a path that ends with nothing fails in the interpreter (it marks undefined).
    ['[][0][].id', {}, 'error EVAL'],
    // No matcher, or no replacement function: the interpreter calls `.apply` on nothing.
    ['$replace("a", /a/, id)', {}, 'error EVAL'],
    ['$split("", $.id)', {}, 'error EVAL'],
    // `?:` and `??` copy their left side through JSON: a lambda's signature loses its validator, a regex its meaning.
    ['(function($v)<s-:s> { 1 })() ?: 2', {}, 'error EVAL'],
    ['$single($, function($v)<s-:s> { true }) ?? id', {}, 'error EVAL'],
    ['$match("x", /a/) ?: 1', {}, '1', 'interpreted'],
    // Arguments of a call in tail position reach the callee unwrapped: built-ins and lambdas cannot be applied there.
    ['(function($v) { $map([1], $string) })(1)', {}, 'error EVAL'],
    ['(function($v) { $sort([2, 1], function($a, $b) { $a > $b }) })(1)', {}, 'error EVAL'],
    ['(function($v) { $map([1, 2], function($y) { $y * 2 }) })(1)', {}, '[2,4]'],
    // A call in tail position labels its procedure first: that fails on a string, number or boolean.
    ['(function($f) { $f(1) })($string)', {}, 'error EVAL', 'compiled', undefined, { string: 'not a function' }],
    ['(function($f) { $f(1) })(5)', {}, 'error EVAL'],
    ['(function($f) { $f(1) })({"a": 1})', {}, 'error T1006'],
    // An object constructor given an empty array pushes undefined into it, for all later readers to see.
    ['{"a": items{"k": 1}, "b": items}', { items: [] }, '{"a":{"k":1},"b":[undefined]}'],
    ['(items{"k": 1}; items)', { items: [] }, '[undefined]'],
    ['$ ~> | profile | {"a": 1}, ["name", "id"] |', { profile: [[0], []] }, '{"profile":[[0],[undefined]]}'],
    ['nothing{"k": 1}', {}, '{"k":1}'],
    // An order-by step handed a lone value returns it.
    ['[0][$not($)]^($).[]', [], 'undefined'],
    ['$sift([0][$not($)]^($).[], function($v, $k) { id })', [], 'undefined'],
    // A built-in's own fields, a lambda in an error message (circular, so the message fails).
    ['-(function($v) { $v })', {}, 'error EVAL'],
    ['"" = (-((function($v) { $v }) ~> $single()))', {}, 'error EVAL'],
    // Only a real lambda breaks the message; data carrying the flag does not (but is applied as one).
    ['(-qty).$power(0)', { qty: [[{ _jsonata_lambda: true }], '', true] }, 'error D1002'],
    ['profile(1)', { profile: { _jsonata_lambda: true } }, 'error EVAL'],
    // A regex handed an object by a higher-order function reads it as text: the interpreter's objects have no toString.
    ['$single({"a": 1}, /x*/)', {}, 'error EVAL'],
    ['$map([1, "ab"], /b/).match', {}, '"b"'],
    // A data object with a `tupleStream` field passes for a tuple.
    ['{"id": qty}', { qty: '', tupleStream: ' ' }, '{}'],
    ['({"__proto__": 0}) ? 1 : 2', { tupleStream: 'STAGED', '@': true }, '1'],
    // At top level, past the depth limit, a plain path's steps and a built-in's name fail as the interpreter's do.
    ['x.y', null, 'error D1011', 'compiled', { timeoutMs: 1000, maxDepth: 1 }],
    ['$lowercase()', {}, 'error D1011', 'compiled', { timeoutMs: 1000, maxDepth: 1 }],
    // …but a path over an empty array evaluates no step at all.
    ['$ ~> | items | {"x": $} |', [], '[]', 'compiled', { timeoutMs: 1000, maxDepth: 2 }],
  ])('%s', (...c) => agrees(c));

  it('a single failing constructor member is the answer, given synchronously; several are handed to the interpreter', async () => {
    for (const emitAfter of [false, 0] as const) {
      const c = new CompilingExpressionCompiler(undefined, undefined, emitAfter);
      for (const [source, code] of [
        ['[$uppercase(1), 2]', 'T0410'],
        ['{"a": id, "b": $map([1], function($v) { $v + "a" }), "c": [1, 2][0]}', 'T2002'],
        ['[[1, 2 - "x"], {"a": 1, "b": $number("2")}][0]', 'T2002'],
      ] as const) {
        let thrown: unknown;
        try {
          expect(c.compile(source).evaluate({ id: 1 })).toBeUndefined();
        } catch (err) {
          thrown = err;
        }
        expect(thrown, source).toBeInstanceOf(ExpressionError);
        expect((thrown as ExpressionError).code, source).toBe(code);
        await agrees([source, { id: 1 }, `error ${code}`]);
      }
      // Two failing members: which the interpreter reports depends on its scheduling.
      const several = c.compile('[$sum("x"), "a" - 1]').evaluate({});
      expect(several).toBeInstanceOf(Promise);
      await expect(several).rejects.toMatchObject({ code: 'T2001' });
    }
  });

  it('a constructor whose members together reach past the depth limit fails as in the interpreter (which counts them together)', async () => {
    const wide = (n: number) => `{${Array.from({ length: n }, (_, i) => `"f${i}": $string($uppercase(a.b.c))`).join(', ')}}`;
    const input = { a: { b: { c: 'x' } } };
    // 66 members suspended three levels deep, plus the constructor and one running member: 200, the limit.
    await agrees([wide(66), input, canonical(Object.fromEntries(Array.from({ length: 66 }, (_, i) => [`f${i}`, 'X'])))]);
    await agrees([wide(67), input, 'error D1011', 'interpreted']);
    // Inside a lambda the depth is known only at run time: the evaluation is handed over then.
    await agrees([`$map([1], function($v) { ${wide(67)} })`, input, 'error D1011']);
    await agrees([`$map([1], function($v) { ${wide(60)} })`, input, canonical([Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, 'X']))][0])]);
  });

  it('a built-in spread shows the interpreter\u2019s own fields (the compiled evaluation hands it over)', async () => {
    const source = '$spread([$count])';
    const theirs = await outcome(interpreter.compile(source), {}, {});
    expect(await outcome(compiler.compile(source), {}, {})).toEqual(theirs);
  });

  it('two function values are equal only if they are the same one', async () => {
    expect(await same('($f := function($x) { $x }; $f = $f)')).toBe(true);
    expect(await same('$map([1, 2], function($v) { function($x) { $x } }) ~> function($fs) { $fs[0] = $fs[1] }')).toBe(false);
    expect(await same('$string = $string')).toBe(true);
    expect(await same('$string = $number')).toBe(false);
  });
});
