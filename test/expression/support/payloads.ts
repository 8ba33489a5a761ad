/**
 * Generated payloads shaped like providers' JSON: nested objects keyed by the names an expression
 * reads (plus strangers), arrays of none, one or several items, nulls, numbers, numeric and empty
 * strings, booleans, and fields that are simply missing.
 */
import fc from 'fast-check';
import type { Shape } from './expression-shape.js';

export function payloadArbitrary(shape: Shape): fc.Arbitrary<unknown> {
  const keys = fc.constantFrom(...new Set([...shape.names, 'id', 'extra']));
  const texts = fc.constantFrom('', 'a', 'Ab c', ' padded ', '42', '-1.5', 'true', '2017-07-13T22:08:42.000Z', 'ACTIVE', ...shape.strings);
  const leaf = fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 3, arbitrary: fc.integer({ min: -3, max: 1_000 }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }) },
    { weight: 5, arbitrary: texts },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array')),
    // A fresh empty array each time: JSON payloads never share one, and the interpreter writes into empty arrays.
    array: fc.oneof(fc.constant(null).map(() => []), fc.array(tie('value'), { minLength: 1, maxLength: 1 }), fc.array(tie('value'), { minLength: 2, maxLength: 4 })),
    object: fc.dictionary(keys, tie('value'), { maxKeys: 6 }),
  }));
  return value;
}

/** An input (mostly an object) and values for the expression's free variables. */
export function caseArbitrary(shape: Shape): fc.Arbitrary<{ input: unknown; bindings: Record<string, unknown> }> {
  const payload = payloadArbitrary(shape);
  const objectish = fc.oneof({ weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...new Set([...shape.names, 'id'])), payload, { maxKeys: 8 }) }, { weight: 1, arbitrary: payload });
  const bindings = fc.record(Object.fromEntries(shape.variables.map((v) => [v, objectish])) as Record<string, fc.Arbitrary<unknown>>);
  return fc.record({ input: objectish, bindings });
}
