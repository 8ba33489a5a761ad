/**
 * A box for a secret value that refuses to print itself.
 *
 * Accidental exposure happens through logging and serialisation, not through deliberate reads. So
 * the value sits in a private class field (invisible to JSON.stringify, Object.keys, spreads and
 * util.inspect, even with showHidden), and every way of turning the box into text yields
 * `[redacted]`. Reading the value takes an explicit, greppable `reveal()`.
 */

import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

export class Secret<T> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The wrapped value. Call at the point of use; do not store or log the result. */
  reveal(): T {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret ${REDACTED}`;
  }
}
