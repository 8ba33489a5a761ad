/** Name resolution: the frames, then the evaluation's bindings and input, then the built-ins. */
import { BUILTINS } from './functions/index.js';
import type { Env, Run } from './scope.js';

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function outerLookup(run: Run, name: string): unknown {
  if (name === '$') return run.input;
  const bindings = run.bindings;
  if (bindings !== undefined && hasOwn(bindings, name)) return bindings[name];
  return BUILTINS[name];
}

export function lookup(env: Env, name: string): unknown {
  for (let e: Env | undefined = env; e !== undefined; e = e.parent) {
    const names = e.names;
    if (names !== undefined && names.has(name)) return names.get(name);
  }
  return outerLookup(env.run, name);
}

export function builtinShadowed(bindings: Record<string, unknown> | undefined): boolean {
  if (bindings === undefined || bindings === null) return false;
  // for…in without a list of keys: this runs once per evaluation. Own keys only, as Object.keys.
  for (const key in bindings) if (BUILTINS[key] !== undefined && hasOwn(bindings, key)) return true;
  return false;
}

export { BUILTINS };
