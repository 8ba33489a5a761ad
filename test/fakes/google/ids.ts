/**
 * Deterministic look-alikes of Google Directory identifiers, so two fakes given the same requests
 * hand out the same ids and a failure reproduces exactly.
 *
 * Shapes [I] (observed in public Directory API samples, not in the reference): group ids are 15
 * lower-case base-36 characters starting with `0` (e.g. `03ep43zb0ox2x6s`); user ids are 21 decimal
 * digits starting with `1`; etags are a quoted `"<27>/<27>"` pair of URL-safe base64 strings.
 */

import { pseudoRandom } from '../shared/ids.js';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type Kind = 'group' | 'user' | 'etag';
const SALT: Record<Kind, number> = { group: 0x67, user: 0x75, etag: 0x65 };

export class IdFactory {
  private readonly counters: Record<Kind, number> = { group: 0, user: 0, etag: 0 };

  private seed(kind: Kind): number {
    this.counters[kind] += 1;
    return (SALT[kind] << 20) ^ Math.imul(this.counters[kind], 2654435761);
  }

  groupId(): string {
    return `0${pseudoRandom(this.seed('group'), 14, BASE36)}`;
  }

  userId(): string {
    return `1${pseudoRandom(this.seed('user'), 20, DIGITS)}`;
  }

  /** A resource etag; a new one after every change, as Google does. The quotes are part of the value. */
  etag(): string {
    const s = this.seed('etag');
    return `"${pseudoRandom(s, 27, B64URL)}/${pseudoRandom(s ^ 0x5bd1e995, 27, B64URL)}"`;
  }
}
