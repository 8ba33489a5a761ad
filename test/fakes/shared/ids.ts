/**
 * Building blocks for the fakes' deterministic ids: each provider derives a seed from its own
 * per-kind counters and picks its own alphabets and shapes, so two fakes given the same requests hand
 * out the same ids and a failing test reproduces exactly.
 */

/** mulberry32: tiny, seedable, good enough to make ids look random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` characters of `alphabet`, fixed by `seed`. */
export function pseudoRandom(seed: number, length: number, alphabet: string): string {
  const next = mulberry32(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

/** FNV-1a, 32-bit: tags cursors, page tokens and ETags so that alterations are detectable. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
