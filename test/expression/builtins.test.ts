/**
 * The built-ins the compiler provides present the same face as the interpreter's: the same names,
 * signatures (so argument errors and context handling match) and arities (what the higher-order
 * functions pass to them).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { BUILTINS, NOT_COMPILED } from '../../engine/expression/compiler/functions/index.js';

interface Definition {
  implementation: (...args: unknown[]) => unknown;
  signature?: { definition: string };
}

const names = Object.keys(BUILTINS);
const reference = (await jsonata(`{${[...names, ...Object.keys(NOT_COMPILED)].map((n) => `"${n}": $${n}`).join(', ')}}`).evaluate(undefined)) as Record<
  string,
  Definition
>;

/** The interpreter registers its functions by name in its source; that list is the authority. */
function interpreterFunctionNames(): string[] {
  const source = readFileSync(createRequire(import.meta.url).resolve('jsonata'), 'utf8');
  const names = [...source.matchAll(/(?:staticFrame|environment)\.bind\('([A-Za-z0-9]+)', defineFunction/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

describe('built-in functions', () => {
  it('cover every function of the interpreter but the ones left to it', () => {
    const all = interpreterFunctionNames();
    expect(all.length).toBeGreaterThan(60);
    expect([...names, ...Object.keys(NOT_COMPILED)].sort()).toEqual(all);
  });

  it.each(names)('$%s has the interpreter\u2019s signature and arity', (name) => {
    const mine = BUILTINS[name];
    const theirs = reference[name];
    expect(mine?.signature?.definition).toBe(theirs.signature?.definition);
    expect(mine?.arity).toBe(theirs.implementation.length);
  });
});
