/**
 * Picture-string formatting and parsing (XPath F&O `format-number`, `format-integer`,
 * `format-dateTime` and their inverses): about 1,700 lines of spec logic in the reference
 * implementation, all synchronous and pure. Rather than port it, we take the reference's own
 * implementations once at start-up, so these functions cannot drift from the interpreter.
 */
import jsonata from 'jsonata';
import type { Run } from '../scope.js';
import { define } from './define.js';

type Implementation = (this: unknown, ...args: unknown[]) => unknown;

const BORROWED = ['formatNumber', 'formatInteger', 'parseInteger', 'fromMillis', 'toMillis'] as const;
type Borrowed = (typeof BORROWED)[number];

const definitions = (await jsonata(`{${BORROWED.map((name) => `"${name}": $${name}`).join(', ')}}`).evaluate(undefined)) as Record<
  Borrowed,
  { implementation: Implementation }
>;

function reference(name: Borrowed): Implementation {
  const implementation = definitions[name]?.implementation;
  if (typeof implementation !== 'function') throw new Error(`jsonata no longer exposes $${name}; the compiler needs it`);
  return implementation;
}

const formatNumber = reference('formatNumber');
const formatInteger = reference('formatInteger');
const parseInteger = reference('parseInteger');
const fromMillis = reference('fromMillis');
const toMillis = reference('toMillis');

/** Parsing a partial date fills the missing fields from "now", the evaluation's fixed timestamp. */
function focus(run: Run): unknown {
  return { environment: { timestamp: new Date(run.timestamp) } };
}

export const pictureFunctions = [
  define('formatNumber', '<n-so?:s>', 3, (args, run) => formatNumber.apply(focus(run), args)),
  define('formatInteger', '<n-s:s>', 2, (args, run) => formatInteger.apply(focus(run), args)),
  define('parseInteger', '<s-s:n>', 2, (args, run) => parseInteger.apply(focus(run), args)),
  define('fromMillis', '<n-s?s?:s>', 3, (args, run) => fromMillis.apply(focus(run), args)),
  define('toMillis', '<s-s?:n>', 2, (args, run) => toMillis.apply(focus(run), args)),
  define('now', '<s?s?:s>', 2, ([picture, timezone], run) => fromMillis.call(focus(run), run.timestamp, picture, timezone)),
  define('millis', '<:n>', 0, (_args, run) => run.timestamp),
];
