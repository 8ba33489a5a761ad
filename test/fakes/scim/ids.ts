/**
 * Deterministic identifiers: SCIM ids are opaque strings that servers usually make UUIDs
 * (the RFC's examples are). Derived from a counter so a failing test reproduces exactly.
 */

import { mulberry32 } from '../shared/ids.js';

export class IdFactory {
  private counter = 0;

  /** A version-4-shaped UUID. */
  uuid(): string {
    this.counter += 1;
    const next = mulberry32(this.counter * 2654435761);
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
