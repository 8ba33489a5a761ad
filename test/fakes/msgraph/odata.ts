/**
 * The OData query options the fake understands: $select, $filter (a small subset), $top and $skiptoken.
 * Paging follows GR-PAGE [V]: `$top` sets the page size, the next page is the absolute URL in
 * `@odata.nextLink` (carrying `$skiptoken` and the other options of the request), absent on the last page.
 */

import { createHash } from 'node:crypto';
import { graphErrors } from './errors.js';
import type { Json } from './state.js';

/** [I] Graph's default page size for /users and /groups (microsoft-graph-docs-contrib #3332 and field reports). */
export const DEFAULT_TOP = 100;
/** [I] microsoft-graph-docs PR #21132: "the page size was increased to 999". */
export const MAX_TOP = 999;

/** System query options the fake implements; any other `$…` option is refused so a test cannot pass on an ignored one. */
const KNOWN_OPTIONS = new Set(['$select', '$filter', '$top', '$skiptoken']);

export interface ODataQuery {
  select?: string[];
  filter?: (item: Record<string, Json>) => boolean;
  top?: number;
  skiptoken?: string;
  /** The options as received (decoded), in order, for the next links. */
  entries: Array<[string, string]>;
}

export function parseQuery(params: URLSearchParams, properties: readonly string[], type: 'User' | 'Group'): ODataQuery {
  const entries = [...params.entries()];
  const q: ODataQuery = { entries };
  for (const [key, value] of entries) {
    if (!key.startsWith('$')) continue; // Graph ignores non-system parameters
    if (!KNOWN_OPTIONS.has(key)) throw graphErrors.unsupportedQuery();
    if (key === '$select') {
      const names = value.split(',').map((s) => s.trim()).filter(Boolean);
      for (const n of names) if (!properties.includes(n)) throw graphErrors.unknownSelect(n, type);
      q.select = names;
    } else if (key === '$top') {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_TOP) throw graphErrors.invalidPageSize(value);
      q.top = Number(value);
    } else if (key === '$filter') {
      q.filter = compileFilter(value, properties, type);
    } else if (key === '$skiptoken') {
      q.skiptoken = value;
    }
  }
  return q;
}

/** Projects an object to $select (only the selected properties, in the object's own order) or to `defaults`. */
export function project(obj: Record<string, Json>, select: string[] | undefined, defaults?: readonly string[]): Record<string, Json> {
  const keep = select ?? defaults;
  if (!keep) return obj;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) if (keep.includes(k)) out[k] = v;
  return out;
}

// ------------------------------------------------------------------ $filter

/**
 * Clauses joined by `and`: `startswith(prop,'text')`, `prop eq 'text'`, `prop eq true|false|null`.
 * String comparisons ignore case, as directory filters do. [I] Anything else is 400 Request_UnsupportedQuery.
 */
function compileFilter(src: string, properties: readonly string[], type: 'User' | 'Group'): (item: Record<string, Json>) => boolean {
  const clauses = src.split(/\s+and\s+/i).map((c) => c.trim());
  const tests = clauses.map((clause) => {
    let m = /^startswith\(\s*([A-Za-z]+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
    if (m) {
      const [, prop, raw] = m;
      if (!properties.includes(prop)) throw graphErrors.unknownSelect(prop, type);
      const text = raw.replace(/''/g, "'").toLowerCase();
      return (item: Record<string, Json>) => typeof item[prop] === 'string' && (item[prop] as string).toLowerCase().startsWith(text);
    }
    m = /^([A-Za-z]+)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false|null))$/i.exec(clause);
    if (m) {
      const [, prop, str, lit] = m;
      if (!properties.includes(prop)) throw graphErrors.unknownSelect(prop, type);
      if (str !== undefined) {
        const text = str.replace(/''/g, "'").toLowerCase();
        return (item: Record<string, Json>) => typeof item[prop] === 'string' && (item[prop] as string).toLowerCase() === text;
      }
      const value = lit === 'null' ? null : lit === 'true';
      return (item: Record<string, Json>) => (item[prop] ?? null) === value;
    }
    throw graphErrors.unsupportedQuery();
  });
  return (item) => tests.every((t) => t(item));
}

// ------------------------------------------------------------------ paging

function checksum(s: string): string {
  return createHash('sha256').update(s).digest('base64url').slice(0, 10);
}

/**
 * Skip tokens are opaque to clients. [I] This one carries the position after which the next page starts
 * (an item's creation sequence, stable under deletes between pages) and a checksum binding it to its query,
 * so an altered token, or one from another list, is refused. The "RFNwdAIA" prefix imitates the look of
 * Graph's directory skip tokens.
 */
export function encodeSkipToken(listKey: string, position: number): string {
  const body = `${position}.${checksum(`${listKey}\u0000${position}`)}`;
  return `RFNwdAIA${Buffer.from(body).toString('base64url')}`;
}

export function decodeSkipToken(listKey: string, token: string): number {
  const m = /^RFNwdAIA([A-Za-z0-9_-]+)$/.exec(token);
  if (!m) throw graphErrors.invalidSkipToken();
  const [pos, sum] = Buffer.from(m[1], 'base64url').toString('utf8').split('.');
  if (!/^\d+$/.test(pos ?? '') || checksum(`${listKey}\u0000${pos}`) !== sum) throw graphErrors.invalidSkipToken();
  return Number(pos);
}

/** What a list query is, for binding its skip tokens: the path and every option except the token and $top. */
export function listKey(pathname: string, q: ODataQuery): string {
  return `${pathname}?${q.entries.filter(([k]) => k !== '$skiptoken' && k !== '$top').map(([k, v]) => `${k}=${v}`).join('&')}`;
}

export interface PagedItems<T> {
  items: T[];
  /** Position for the next page's token, when a next link is to be sent. */
  next?: number;
}

/**
 * One page of `items` (already filtered and in list order). By default, a page that ends the list has no
 * next link even when it is full. With `trailingEmptyPage`, a full last page still gets a next link, which
 * leads to a page with zero results and no next link: GR-PAGE [V] "A page may contain zero results".
 */
export function pageOf<T>(items: readonly T[], position: (item: T) => number, after: number | undefined, top: number, trailingEmptyPage: boolean): PagedItems<T> {
  const rest = after === undefined ? items : items.filter((it) => position(it) > after);
  const page = rest.slice(0, top);
  const more = rest.length > page.length;
  const full = page.length === top;
  if (page.length > 0 && (more || (trailingEmptyPage && full))) return { items: page, next: position(page[page.length - 1]) };
  return { items: page };
}

/**
 * The absolute next link on the fake's own origin, as Graph builds it on its own host: the request's
 * options in order (keys keep their literal `$`), then `$skiptoken`.
 */
export function nextLink(origin: string, pathname: string, q: ODataQuery, token: string): string {
  const parts = q.entries.filter(([k]) => k !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${token}`);
  return `${origin}${pathname}?${parts.join('&')}`;
}
