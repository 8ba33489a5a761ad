import qs from 'qs';
import type { LoadedPagination } from '../definition/loaded.js';
import { UnifiedError } from '../errors.js';
import { evaluateOrFail } from './evaluate.js';
import type { RemoteRequest } from './plan-request.js';
import type { RemoteResponse } from './transport.js';

/**
 * Where the next page starts, in the provider's terms. Encoded into the opaque `next_cursor` the
 * caller sees, so the unified API pages the same way whatever the provider does underneath.
 */
export type PageState =
  | { kind: 'url'; path: string } // link_header, next_link: path + query on the provider's origin
  | { kind: 'token'; token: string } // cursor
  | { kind: 'index'; index: number }; // offset (item index) and page (page number)

const CURSOR_VERSION = 1;

export function encodeCursor(state: PageState): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, ...state })).toString('base64url');
}

export function decodeCursor(cursor: unknown): PageState {
  const invalid = () =>
    new UnifiedError('invalid_request', 'next_cursor is not a cursor this API returned; pass back next_cursor exactly as received', {
      details: [{ path: 'query.next_cursor', message: 'is not a valid cursor' }],
    });
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid();
  }
  if (parsed?.v !== CURSOR_VERSION) throw invalid();
  if (parsed.kind === 'url' && typeof parsed.path === 'string' && parsed.path.startsWith('/') && !parsed.path.startsWith('//')) return { kind: 'url', path: parsed.path };
  if (parsed.kind === 'token' && typeof parsed.token === 'string' && parsed.token.length > 0) return { kind: 'token', token: parsed.token };
  if (parsed.kind === 'index' && Number.isSafeInteger(parsed.index) && (parsed.index as number) >= 0) return { kind: 'index', index: parsed.index as number };
  throw invalid();
}

/** The page size to ask for: the caller's limit (or the declared default), clamped to the provider's maximum. */
export function pageSize(pagination: LoadedPagination, limit: number | undefined): number | undefined {
  const wanted = limit ?? pagination.spec.default_limit;
  if (wanted === undefined) return undefined;
  return pagination.spec.max_limit ? Math.min(wanted, pagination.spec.max_limit) : wanted;
}

/** The request for one page: the planned first-page request, moved to `state`. Pure. */
export function pageRequest(request: RemoteRequest, pagination: LoadedPagination, state: PageState | undefined, size: number | undefined): RemoteRequest {
  const spec = pagination.spec;
  const [pathname, search = ''] = splitPath(request.path);
  if (state?.kind === 'url') {
    // A next link is followed only to the very resource the first page came from: a cursor is caller
    // input, and must not turn a list call into a read of any other endpoint with the account's credentials.
    if (splitPath(state.path)[0] !== pathname) {
      throw new UnifiedError('invalid_request', 'next_cursor does not belong to this list', { details: [{ path: 'query.next_cursor', message: 'points to another resource' }] });
    }
    return { ...request, path: state.path, url: `${request.origin}${state.path}` };
  }
  // The provider sends everything at once: the request is the same for every unified page.
  if (spec.type === 'in_memory') return request;
  const query = qs.parse(search, { depth: 0, allowPrototypes: false, parameterLimit: 1000 }) as Record<string, unknown>;
  if (size !== undefined && spec.limit_param) query[spec.limit_param] = String(size);
  if (spec.type === 'cursor' && state?.kind === 'token') query[spec.cursor_param] = state.token;
  if (spec.type === 'offset') query[spec.offset_param] = String(state?.kind === 'index' ? state.index : (spec.base ?? 0));
  if (spec.type === 'page') query[spec.page_param] = String(state?.kind === 'index' ? state.index : (spec.base ?? 1));
  const search2 = qs.stringify(query, { arrayFormat: 'repeat', format: 'RFC3986' });
  const path = search2 ? `${pathname}?${search2}` : pathname;
  return { ...request, path, url: `${request.origin}${path}` };
}

/**
 * Where the page after `response` starts, or undefined at the end. `items` is how many items the page
 * held and `size` the page size asked for (offset and page paging end on a short page).
 */
export async function nextPageState(
  pagination: LoadedPagination,
  request: RemoteRequest,
  response: RemoteResponse,
  state: PageState | undefined,
  items: number,
  size: number | undefined,
): Promise<PageState | undefined> {
  const spec = pagination.spec;
  switch (spec.type) {
    case 'link_header':
      return urlState(parseLinkHeader(response.headers.link ?? '').next, request);
    case 'next_link':
      return urlState(await evaluateSafely(pagination.next, response), request);
    case 'cursor': {
      const token = await evaluateSafely(pagination.next, response);
      return typeof token === 'string' && token.length > 0 ? { kind: 'token', token } : typeof token === 'number' ? { kind: 'token', token: String(token) } : undefined;
    }
    case 'offset': {
      const start = state?.kind === 'index' ? state.index : (spec.base ?? 0);
      if (items === 0) return undefined;
      const next = start + items;
      const total = pagination.total ? await evaluateSafely(pagination.total, response) : undefined;
      if (typeof total === 'number') return next - (spec.base ?? 0) < total ? { kind: 'index', index: next } : undefined;
      // Without a total, only a full page may have a successor (which may turn out empty).
      return size !== undefined && items >= size ? { kind: 'index', index: next } : undefined;
    }
    case 'in_memory':
      return undefined; // handled by slicePage: the whole list is already in hand
    case 'page': {
      const page = state?.kind === 'index' ? state.index : (spec.base ?? 1);
      return items > 0 && (size === undefined || items >= size) ? { kind: 'index', index: page + 1 } : undefined;
    }
  }
}

function urlState(link: unknown, request: RemoteRequest): PageState | undefined {
  if (typeof link !== 'string' || link.length === 0) return undefined;
  let url: URL;
  try {
    url = new URL(link, request.url);
  } catch {
    return undefined;
  }
  // A next link to another origin is never followed: the account's origin is the only one we talk to.
  if (url.origin !== request.origin) {
    throw new UnifiedError('remote_error', `The provider returned a next-page link to another origin (${url.origin}); it was not followed`, { status: 502 });
  }
  return { kind: 'url', path: `${url.pathname}${url.search}` };
}

async function evaluateSafely(expr: LoadedPagination['next'], response: RemoteResponse): Promise<unknown> {
  if (!expr) return undefined;
  return evaluateOrFail(expr, response.body, { headers: response.headers, status: response.status });
}

function splitPath(path: string): [string, string?] {
  const q = path.indexOf('?');
  return q < 0 ? [path] : [path.slice(0, q), path.slice(q + 1)];
}

/** RFC 8288 Link header (several links, possibly from several header lines joined by ", ") → rel → URL. */
export function parseLinkHeader(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
  for (const m of value.matchAll(re)) {
    const params = m[2];
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(params)?.[1];
    if (!rel) continue;
    for (const r of rel.trim().split(/\s+/)) out[r.toLowerCase()] ??= m[1];
  }
  return out;
}

/**
 * For `in_memory` pagination: the caller's page of a list the provider returned whole, and where
 * the next page starts. Pure.
 */
export function slicePage(items: unknown[], state: PageState | undefined, size: number | undefined): { items: unknown[]; next?: PageState } {
  const start = state?.kind === 'index' ? state.index : 0;
  if (size === undefined) return { items: items.slice(start) };
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? { kind: 'index', index: end } : undefined };
}
