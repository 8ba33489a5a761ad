/**
 * Directory paging ([V] GDISC, provider-apis.md §3): `maxResults` + `pageToken`; a page carries
 * `nextPageToken` while more items remain and none on the last page. The token is opaque to
 * clients; the fake's carries the list it belongs to and an offset, with a checksum, so an altered
 * token or one from another list is refused with 400 `Invalid Input: <token>` ([V as reported]
 * GAMADV-XTD3 #244).
 *
 * Two behaviours exist for a last page that is exactly full: the documented one (no token: the
 * default) and, with `tokenOnFullLastPage`, a token whose page is empty: no item array at all and no
 * token [I]. Both must end a client's walk.
 */

import { fnv1a } from '../shared/ids.js';
import { googleErrors } from './errors.js';

export function encodePageToken(listKey: string, offset: number): string {
  const raw = `${offset.toString(36)}.${fnv1a(`${listKey}\u0000${offset}`)}`;
  // Real tokens are long URL-safe base64 strings; a prefix makes the fake's look alike.
  return `Cg${Buffer.from(raw).toString('base64url')}`;
}

export function decodePageToken(listKey: string, token: string): number {
  const invalid = () => googleErrors.invalidInput(token);
  if (!token.startsWith('Cg')) throw invalid();
  const raw = Buffer.from(token.slice(2), 'base64url').toString('utf8');
  const m = /^([0-9a-z]+)\.([0-9a-f]{8})$/.exec(raw);
  if (!m) throw invalid();
  const offset = parseInt(m[1], 36);
  if (fnv1a(`${listKey}\u0000${offset}`) !== m[2]) throw invalid();
  return offset;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export function pageOf<T>(items: readonly T[], listKey: string, pageToken: string | null, maxResults: number, tokenOnFullLastPage: boolean): Page<T> {
  const start = pageToken ? decodePageToken(listKey, pageToken) : 0;
  const slice = items.slice(start, start + maxResults);
  const end = start + slice.length;
  const more = end < items.length || (tokenOnFullLastPage && slice.length === maxResults && slice.length > 0);
  return { items: slice, nextPageToken: more ? encodePageToken(listKey, end) : undefined };
}
