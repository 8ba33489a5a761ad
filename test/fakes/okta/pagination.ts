/**
 * Cursor pagination with Okta's Link headers (provider-apis.md §1.4):
 * `link: <…?limit=N>; rel="self"` and, only while more items remain, a second
 * header line `link: <…?limit=N&after=CURSOR>; rel="next"`.
 */

import { fnv1a } from '../shared/ids.js';
import { oktaErrors } from './errors.js';

/**
 * Cursors are opaque to clients but carry the list they belong to and a
 * checksum, so an altered cursor, or one taken from another list, is rejected
 * with E0000029 ("Ensure the pagination cursor has not been altered").
 * `position` is an item's creation sequence (stable when items are deleted
 * between pages) or, for sorted searches, an offset.
 */
export function encodeCursor(listKey: string, position: number): string {
  const pos = position.toString(36);
  return `${pos}${fnv1a(`${listKey}\u0000${pos}`)}`;
}

export function decodeCursor(listKey: string, cursor: string): number {
  const m = /^([0-9a-z]+)([0-9a-f]{8})$/.exec(cursor);
  if (!m || fnv1a(`${listKey}\u0000${m[1]}`) !== m[2]) throw oktaErrors.invalidPaging();
  return parseInt(m[1], 36);
}

export interface Page<T> {
  items: T[];
  /** Position to resume after, when more items remain. */
  next?: number;
}

/** Items must already be in list order; `position(item)` must increase along it. */
export function pageAfter<T>(items: readonly T[], position: (item: T) => number, after: number | undefined, limit: number): Page<T> {
  const rest = after === undefined ? items : items.filter((it) => position(it) > after);
  const pageItems = rest.slice(0, limit);
  const more = rest.length > pageItems.length;
  return { items: pageItems, next: more && pageItems.length > 0 ? position(pageItems[pageItems.length - 1]) : undefined };
}

/**
 * `limit` first, then the other list parameters in request order, `after`
 * last; form-encoded (`+` for spaces) as in the recorded
 * `…/users?limit=200&search=profile.nickName+eq+%22johny-list-users%22`.
 */
export function listUrl(origin: string, pathname: string, limit: number, params: ReadonlyArray<[string, string]>, after?: string): string {
  const qs = new URLSearchParams();
  qs.set('limit', String(limit));
  for (const [k, v] of params) qs.append(k, v);
  if (after !== undefined) qs.set('after', after);
  return `${origin}${pathname}?${qs.toString()}`;
}

export function linkHeaders(selfUrl: string, nextUrl?: string): string[] {
  const lines = [`<${selfUrl}>; rel="self"`];
  if (nextUrl) lines.push(`<${nextUrl}>; rel="next"`);
  return lines;
}
