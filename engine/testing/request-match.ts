import { describeDiff, diffValues, show } from './diff.js';
import type { RemoteRequestSpec } from './fixture-types.js';
import type { InterceptedRequest } from './scripted-dispatcher.js';

/** One way a sent request differs from an expected exchange; `weight` ranks candidates (lower is nearer). */
export interface RequestDifference {
  what: 'method' | 'path' | 'query' | 'header' | 'body';
  text: string;
  weight: number;
}

/**
 * Compares what was sent with what an exchange expects: method, path (segment by segment, decoded),
 * query as a multimap (every parameter, in order for repeated ones), headers as a subset (names
 * case-insensitive), and the JSON body (deep equality, or `body_contains`). No difference = a match.
 */
export function compareRequest(expected: RemoteRequestSpec, actual: InterceptedRequest): RequestDifference[] {
  const out: RequestDifference[] = [];
  if (expected.method.toUpperCase() !== actual.method.toUpperCase()) {
    out.push({ what: 'method', text: `method differs: expected ${expected.method}, got ${actual.method}`, weight: 8 });
  }
  const [actualPath, actualSearch = ''] = splitPath(actual.path);
  const pathDiff = comparePath(expected.path, actualPath);
  if (pathDiff) out.push({ what: 'path', text: pathDiff, weight: 4 });
  out.push(...compareQuery(expected.query ?? {}, new URLSearchParams(actualSearch)));
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const got = actual.headers[name.toLowerCase()];
    if (got === undefined) out.push({ what: 'header', text: `header ${name} is missing (expected ${show(String(value))})`, weight: 1 });
    else if (got !== String(value)) out.push({ what: 'header', text: `header ${name}: expected ${show(String(value))}, got ${show(got)}`, weight: 1 });
  }
  out.push(...compareBody(expected, actual.body));
  return out;
}

/** `PUT /a/b?x=1`, the way reports name a request (query values shown decoded, on both sides). */
export function describeExpected(expected: RemoteRequestSpec): string {
  const search = Object.entries(expected.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((item) => `${k}=${String(item)}`))
    .join('&');
  return `${expected.method} ${expected.path}${search ? `?${search}` : ''}`;
}

export function describeActual(actual: InterceptedRequest): string {
  return `${actual.method} ${safeDecodeQuery(actual.path)}`;
}

function splitPath(full: string): [string, string?] {
  const i = full.indexOf('?');
  return i < 0 ? [full] : [full.slice(0, i), full.slice(i + 1)];
}

function comparePath(expected: string, actual: string): string | undefined {
  const want = expected.split('/').slice(1);
  const got = actual.split('/').slice(1);
  const n = Math.max(want.length, got.length);
  for (let i = 0; i < n; i++) {
    if (want[i] !== undefined && got[i] !== undefined && decode(want[i]) === decode(got[i])) continue;
    const segment = `segment ${i + 1}`;
    if (want[i] === undefined) return `path is longer than expected: unexpected ${segment} "${got[i]}"`;
    if (got[i] === undefined) return `path is shorter than expected: ${segment} "${want[i]}" is missing`;
    return `path differs at ${segment}: expected "${want[i]}", got "${got[i]}"`;
  }
  return undefined;
}

function compareQuery(expected: NonNullable<RemoteRequestSpec['query']>, actual: URLSearchParams): RequestDifference[] {
  const out: RequestDifference[] = [];
  const want = new Map<string, string[]>();
  for (const [k, v] of Object.entries(expected)) want.set(k, (Array.isArray(v) ? v : [v]).map(String));
  const got = new Map<string, string[]>();
  for (const [k, v] of actual) got.set(k, [...(got.get(k) ?? []), v]);
  for (const [name, values] of want) {
    const sent = got.get(name);
    if (!sent) out.push({ what: 'query', text: `query parameter ${name} is missing (expected ${showValues(values)})`, weight: 1 });
    else if (sent.join('\u0000') !== values.join('\u0000')) out.push({ what: 'query', text: `query parameter ${name}: expected ${showValues(values)}, got ${showValues(sent)}`, weight: 1 });
  }
  for (const [name, values] of got) {
    if (!want.has(name)) out.push({ what: 'query', text: `unexpected query parameter ${name}=${values.join(`&${name}=`)}`, weight: 1 });
  }
  return out;
}

function compareBody(expected: RemoteRequestSpec, raw: string | undefined): RequestDifference[] {
  const sent = raw === undefined || raw === '' ? undefined : parseJson(raw);
  const wanted = expected.body !== undefined ? expected.body : expected.body_contains;
  if (wanted === undefined) {
    return sent === undefined ? [] : [{ what: 'body', text: `expected no body, got ${show(sent)}`, weight: 1 }];
  }
  if (sent === undefined) return [{ what: 'body', text: `expected a body, got none (expected ${show(wanted)})`, weight: 2 }];
  const entries = diffValues(wanted, sent, expected.body !== undefined ? 'equal' : 'contains');
  return entries.map((e) => ({ what: 'body' as const, text: describeDiff('body', e), weight: 1 }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function showValues(values: string[]): string {
  return values.length === 1 ? show(values[0]) : show(values);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function safeDecodeQuery(path: string): string {
  const [p, q] = splitPath(path);
  if (q === undefined) return p;
  try {
    return `${p}?${decodeURIComponent(q.replace(/\+/g, ' '))}`;
  } catch {
    return path;
  }
}
