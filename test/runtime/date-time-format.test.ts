import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDateTime } from '../../engine/validation/date-time.js';
import { createAjv } from '../../engine/validation/ajv.js';

/** ajv-formats' full-mode date-time check: the reference the fast one must agree with everywhere. */
const reference = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Strings shaped like date-times, with every field allowed to go out of range or change form. */
const dateTimeLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2023, 2024, 2100, 2400)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    sep: fc.constantFrom('T', 't', ' ', '\t', '\n', '\u00a0', '\u3000', '\ufeff', 'x', '', 'TT', '_'),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.constantFrom('', '.0', '.000', '.123456789', '.', '.5', '.9999'),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', '', 'UTC', '+', 'Zz', ' Z', 'T'),
      fc.record({ sign: fc.constantFrom('+', '-', '±'), h: fc.integer({ min: 0, max: 25 }), m: fc.integer({ min: 0, max: 61 }), form: fc.constantFrom('hh:mm', 'hhmm', 'hh', 'h:mm', 'hh:m') }).map(({ sign, h, m, form }) =>
        form === 'hh:mm' ? `${sign}${pad(h, 2)}:${pad(m, 2)}` : form === 'hhmm' ? `${sign}${pad(h, 2)}${pad(m, 2)}` : form === 'hh' ? `${sign}${pad(h, 2)}` : form === 'h:mm' ? `${sign}${h}:${pad(m, 2)}` : `${sign}${pad(h, 2)}:${m}`,
      ),
    ),
    trailing: fc.constantFrom('', '', '', ' ', '\n', 'Z', '0'),
  })
  .map((f) => `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${f.sep}${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${f.fraction}${f.zone}${f.trailing}`);

/** One character of a valid date-time replaced, removed or duplicated. */
const mutated = fc
  .tuple(fc.constantFrom('2024-02-29T23:59:60.5+00:00', '2013-06-24T16:39:18.000Z', '1999-12-31t23:59:60Z', '2024-05-01 10:00:00-0130'), fc.nat(), fc.constantFrom('', '0', '9', 'T', ':', '-', '.', 'Z', ' ', '٣', 'x'), fc.constantFrom('replace', 'delete', 'insert'))
  .map(([base, at, ch, how]) => {
    const i = at % base.length;
    return how === 'replace' ? base.slice(0, i) + ch + base.slice(i + 1) : how === 'delete' ? base.slice(0, i) + base.slice(i + 1) : base.slice(0, i) + ch + base.slice(i);
  });

describe('date-time format', () => {
  it.each([
    ['2013-06-24T16:39:18.000Z', true],
    ['2024-05-01T10:00:00Z', true],
    ['2024-05-01t10:00:00z', true],
    ['2024-05-01 10:00:00+02:00', true],
    ['2024-05-01T10:00:00+0200', true],
    ['2024-05-01T10:00:00+02', true],
    ['2024-02-29T10:00:00Z', true],
    ['2023-02-29T10:00:00Z', false],
    ['1900-02-29T10:00:00Z', false],
    ['2000-02-29T10:00:00Z', true],
    ['2024-04-31T10:00:00Z', false],
    ['2024-13-01T10:00:00Z', false],
    ['2024-05-01T24:00:00Z', false],
    ['2024-05-01T10:60:00Z', false],
    ['2024-05-01T23:59:60Z', true],
    ['2024-05-01T23:59:60.999Z', true],
    ['2024-05-01T22:59:60Z', false],
    ['2024-05-01T00:59:60+01:00', true],
    ['2024-05-01T10:00:00', false],
    ['2024-05-01T10:00:00+24:00', false],
    ['2024-05-01', false],
    ['2024-05-01T10:00:00.Z', false],
    ['2024-05-01T10:00Z', false],
    ['', false],
  ])('%j is %s, as in ajv-formats full mode', (value, valid) => {
    expect(reference(value)).toBe(valid);
    expect(isDateTime(value)).toBe(valid);
  });

  it('agrees with ajv-formats full mode on generated date-times', () => {
    fc.assert(
      fc.property(fc.oneof(dateTimeLike, mutated, fc.string({ maxLength: 40 })), (value) => {
        expect(isDateTime(value)).toBe(reference(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('is the format every validator uses', () => {
    const validate = createAjv().compile({ type: 'string', format: 'date-time' });
    expect(validate('2024-02-29T10:00:00Z')).toBe(true);
    expect(validate('2023-02-29T10:00:00Z')).toBe(false);
    expect(createAjv().compile({ type: 'string', format: 'date-time', formatMinimum: '2024-01-01T00:00:00Z' })('2023-12-31T23:00:00Z')).toBe(false);
  });
});
