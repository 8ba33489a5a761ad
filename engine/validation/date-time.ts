/**
 * JSON Schema's `date-time` format (RFC 3339 §5.6), checked by scanning characters instead of
 * splitting and matching regular expressions. It accepts exactly what ajv-formats accepts in its
 * full (strict) mode, which test/runtime/date-time-format.test.ts checks against it:
 *
 * - `YYYY-MM-DD`, a real calendar day (leap years included);
 * - a separator: `T`, `t` or one white-space character (RFC 3339 allows a space);
 * - `hh:mm:ss` with optional fractional seconds; hours ≤ 23, minutes ≤ 59, seconds ≤ 59, or a leap
 *   second (`:60`) at 23:59 UTC;
 * - a time zone, required: `Z`, `z`, or `+hh`, `+hhmm`, `+hh:mm` (or `-`), hours ≤ 23, minutes ≤ 59.
 */
export function isDateTime(value: string): boolean {
  // The shape in one regular expression (compiled to machine code by V8); the ranges by arithmetic.
  if (!SHAPE.test(value)) return false;
  const month = two(value, 5);
  const day = two(value, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > 28) {
    const year = two(value, 0) * 100 + two(value, 2);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (day > (month === 2 ? (leap ? 29 : 28) : DAYS[month])) return false;
  }
  const n = value.length;
  let i = 19;
  if (value.charCodeAt(i) === 46) {
    i++;
    while (isDigit(value.charCodeAt(i))) i++;
  }
  const secondsEnd = i;
  // Time zone: Z, or ±hh, ±hhmm, ±hh:mm (the shape is already checked).
  let sign = 1;
  let tzH = 0;
  let tzM = 0;
  const c = value.charCodeAt(i);
  if (c === 43 || c === 45) {
    if (c === 45) sign = -1;
    tzH = two(value, i + 1);
    if (n > i + 3) tzM = two(value, n - 2);
    if (tzH > 23 || tzM > 59) return false;
  }
  const hr = two(value, 11);
  const min = two(value, 14);
  if (hr <= 23 && min <= 59 && two(value, 17) <= 59) return true;
  // A leap second: 23:59:60 in UTC, whatever the offset.
  const sec = Number(value.slice(17, secondsEnd));
  if (hr <= 23 && min <= 59 && sec < 60) return true;
  const utcMin = min - tzM * sign;
  const utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0);
  return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}

/** `\d` and `\s` as in ajv-formats (ASCII digits; JavaScript's white space). */
const SHAPE = /^\d{4}-\d\d-\d\d[Tt\s]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)$/;

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function two(s: string, at: number): number {
  return (s.charCodeAt(at) - 48) * 10 + (s.charCodeAt(at + 1) - 48);
}
