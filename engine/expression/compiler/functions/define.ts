import { Native, type NativeImpl } from '../callables.js';
import { parseSignature } from '../signature.js';

/**
 * One built-in: its JSONata signature (validated before the call, as the interpreter does), the
 * arity the interpreter's higher-order functions see, and its declared parameters when that differs.
 */
export function define(name: string, signature: string, arity: number, impl: NativeImpl, params = arity): Native {
  return new Native(name, parseSignature(signature), arity, params, impl);
}
