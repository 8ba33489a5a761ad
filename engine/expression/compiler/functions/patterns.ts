/**
 * Functions that take a string or a matcher: a regex literal (compiled to the interpreter's matcher
 * closure) or any function returning the same `{match, start, end, groups, next}` structure.
 */
import { invoke } from '../callables.js';
import { DELEGATE } from '../concurrency.js';
import { fault } from '../faults.js';
import type { Run } from '../scope.js';
import { createSequence } from '../sequences.js';
import { isFunction } from '../values.js';
import { define } from './define.js';

interface MatchResult {
  match: string;
  start: number;
  end: number;
  groups: string[];
  next: () => MatchResult | undefined;
}

/** What a regex literal evaluates to: a matcher function over a fresh copy of the pattern. */
export function regexMatcher(pattern: RegExp): (str: string, fromIndex?: number) => MatchResult | undefined {
  const re = new RegExp(pattern);
  const closure = function (str: string, fromIndex?: number): MatchResult | undefined {
    // Handed something else than a string (by `$map` and the like), the regex reads it as text, which
    // for an object the interpreter made (no prototype, no toString) fails. Its objects are not ours.
    if (typeof str === 'object' && str !== null) throw DELEGATE;
    re.lastIndex = fromIndex || 0;
    const found = re.exec(str);
    if (found === null) return undefined;
    const result: MatchResult = {
      match: found[0],
      start: found.index,
      end: found.index + found[0].length,
      groups: found.slice(1),
      next() {
        if (re.lastIndex >= str.length) return undefined;
        const next = closure(str, re.lastIndex);
        // A zero-length match would never advance.
        if (next && next.match === '') throw fault('D1004', { value: pattern.source });
        return next;
      },
    };
    return result;
  };
  return closure;
}

/** The interpreter calls `matcher.apply(…)` (see `invoke`). */
function evaluateMatcher(matcher: unknown, str: unknown, run: Run): MatchResult | undefined {
  const result = invoke(matcher, [str], run, 'matcher');
  if (result && !(typeof result.start === 'number' || result.end === 'number' || Array.isArray(result.groups) || isFunction(result.next))) {
    throw fault('T1010');
  }
  return result;
}

function contains(str: string | undefined, token: unknown, run: Run): boolean | undefined {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === 'string') return str.indexOf(token) !== -1;
  return evaluateMatcher(token, str, run) !== undefined;
}

function match(str: string | undefined, regex: unknown, limit: number | undefined, run: Run): unknown {
  if (str === undefined) return undefined;
  if (limit !== undefined && limit < 0) throw fault('D3040', { value: limit, index: 3 });
  const result = createSequence();
  if (limit === undefined || limit > 0) {
    let count = 0;
    let matches = evaluateMatcher(regex, str, run);
    while (matches !== undefined && (limit === undefined || count < limit)) {
      result.push({ match: matches.match, index: matches.start, groups: matches.groups });
      matches = evaluateMatcher(matches.next, undefined, run);
      count++;
    }
  }
  return result;
}

/** `$n` in a replacement string: the longest group number that exists, as the interpreter reads it. */
function substitution(replacement: string): (m: MatchResult) => string {
  return (regexMatch) => {
    let substitute = '';
    let position = 0;
    let index = replacement.indexOf('$', position);
    while (index !== -1 && position < replacement.length) {
      substitute += replacement.substring(position, index);
      position = index + 1;
      const dollarVal = replacement.charAt(position);
      if (dollarVal === '$') {
        substitute += '$';
        position++;
      } else if (dollarVal === '0') {
        substitute += regexMatch.match;
        position++;
      } else {
        const maxDigits = regexMatch.groups.length === 0 ? 1 : Math.floor(Math.log(regexMatch.groups.length) * Math.LOG10E) + 1;
        index = parseInt(replacement.substring(position, position + maxDigits), 10);
        if (maxDigits > 1 && index > regexMatch.groups.length) {
          index = parseInt(replacement.substring(position, position + maxDigits - 1), 10);
        }
        if (!isNaN(index)) {
          if (regexMatch.groups.length > 0) {
            const submatch = regexMatch.groups[index - 1];
            if (submatch !== undefined) substitute += submatch;
          }
          position += index.toString().length;
        } else {
          substitute += '$';
        }
      }
      index = replacement.indexOf('$', position);
    }
    return substitute + replacement.substring(position);
  };
}

function replace(str: string | undefined, pattern: unknown, replacement: unknown, limit: number | undefined, run: Run): unknown {
  if (str === undefined) return undefined;
  if (pattern === '') throw fault('D3010', { value: pattern, index: 2 });
  if (limit !== undefined && limit < 0) throw fault('D3011', { value: limit, index: 4 });
  if (!(limit === undefined || limit > 0)) return str;
  let result = '';
  let position = 0;
  let count = 0;
  if (typeof pattern === 'string') {
    let index = str.indexOf(pattern, position);
    // The interpreter writes a function replacement as the source text of its own wrapper: leave that to it.
    if (index !== -1 && typeof replacement === 'function' && (limit === undefined || limit > 0)) throw DELEGATE;
    while (index !== -1 && (limit === undefined || count < limit)) {
      result += str.substring(position, index) + replacement;
      position = index + pattern.length;
      count++;
      index = str.indexOf(pattern, position);
    }
    return result + str.substring(position);
  }
  const replacer =
    typeof replacement === 'string'
      ? substitution(replacement)
      : (m: MatchResult) => invoke(replacement, [m], run, 'replacer');
  let matches = evaluateMatcher(pattern, str, run);
  if (matches === undefined) return str;
  while (matches !== undefined && (limit === undefined || count < limit)) {
    result += str.substring(position, matches.start);
    const replacedWith = replacer(matches);
    if (typeof replacedWith !== 'string') throw fault('D3012', { value: replacedWith });
    result += replacedWith;
    position = matches.start + matches.match.length;
    count++;
    matches = evaluateMatcher(matches.next, undefined, run);
  }
  return result + str.substring(position);
}

function split(str: string | undefined, separator: unknown, limit: number | undefined, run: Run): unknown {
  if (str === undefined) return undefined;
  if (limit !== undefined && limit < 0) throw fault('D3020', { value: limit, index: 3 });
  let result: string[] = [];
  if (!(limit === undefined || limit > 0)) return result;
  if (typeof separator === 'string') return str.split(separator, limit);
  let count = 0;
  let matches = evaluateMatcher(separator, str, run);
  if (matches === undefined) return [str];
  let start = 0;
  while (matches !== undefined && (limit === undefined || count < limit)) {
    result.push(str.substring(start, matches.start));
    start = matches.end;
    matches = evaluateMatcher(matches.next, undefined, run);
    count++;
  }
  if (limit === undefined || count < limit) result.push(str.substring(start));
  return result;
}

export const patternFunctions = [
  define('contains', '<s-(sf):b>', 2, ([str, token], run) => contains(str, token, run)),
  define('match', '<s-f<s:o>n?:a<o>>', 3, ([str, regex, limit], run) => match(str, regex, limit, run)),
  define('replace', '<s-(sf)(sf)n?:s>', 4, ([str, pattern, replacement, limit], run) => replace(str, pattern, replacement, limit, run)),
  define('split', '<s-(sf)n?:a<s>>', 3, ([str, separator, limit], run) => split(str, separator, limit, run)),
];
