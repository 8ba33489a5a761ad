import { isHostPort, isLoopbackHost } from '../validation/host-port.js';

export type TemplatePart = { literal: string } | { param: string; multi?: boolean };

/** `{name}` is one value; `{name*}` (base URLs only) is a path of several segments, each encoded. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(\*)?\}/g;

/** Splits `/groups/{id}/members` into literal and parameter parts. Pure; done once at load time. */
export function parseTemplate(template: string): { parts: TemplatePart[]; params: string[] } {
  const parts: TemplatePart[] = [];
  const params: string[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index! > last) parts.push({ literal: template.slice(last, m.index) });
    parts.push(m[2] ? { param: m[1], multi: true } : { param: m[1] });
    params.push(m[1]);
    last = m.index! + m[0].length;
  }
  if (last < template.length) parts.push({ literal: template.slice(last) });
  return { parts, params };
}

/** Thrown for a value that cannot be placed in a URL; the runtime turns it into a 400 or a config error. */
export class UrlValueError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'UrlValueError';
  }
}

/**
 * Every path value becomes exactly one percent-encoded segment: `../x` or `a/b` can never walk the
 * path, `?` and `#` can never start a query or fragment. `.` and `..` alone are refused outright, since
 * some servers and proxies normalise them even when encoded.
 */
export function encodeSegment(param: string, value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.length === 0) {
    throw new UrlValueError(param, `path parameter \`${param}\` must be a non-empty string or a number, got ${describe(value)}`);
  }
  if (value === '.' || value === '..') throw new UrlValueError(param, `path parameter \`${param}\` cannot be "${value}"`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new UrlValueError(param, `path parameter \`${param}\` contains control characters`);
  if (!value.isWellFormed()) throw new UrlValueError(param, `path parameter \`${param}\` is not well-formed unicode`);
  return encodeURIComponent(value);
}

/**
 * A context value that is a path (`/api/v2`): each segment encoded on its own, empty segments
 * dropped, so it can add segments but never climb (`..`) or start a query.
 */
export function encodePath(param: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string') throw new UrlValueError(param, `${param} must be a path string, got ${describe(value)}`);
  const segments = value.split('/').filter((s) => s.length > 0);
  return segments.map((s) => `/${encodeSegment(param, s)}`).join('');
}

export function expandPath(parts: readonly TemplatePart[], values: Record<string, unknown>): string {
  let out = '';
  for (const part of parts) out += 'literal' in part ? part.literal : encodeSegment(part.param, values[part.param]);
  return out;
}

/**
 * Builds the base URL from the integration's template and the account context. Placeholders in the
 * host part must be host names (with an optional port); placeholders in the path are single encoded
 * segments. Nothing from a unified request reaches here, so a caller can never change host, scheme or port.
 */
export function resolveBaseUrl(template: string, context: Record<string, unknown>): URL {
  const schemeEnd = template.indexOf('://') + 3;
  const pathStart = template.indexOf('/', schemeEnd);
  const firstMulti = template.search(/\{[A-Za-z_][A-Za-z0-9_]*\*\}/);
  const authorityEnd = Math.min(pathStart < 0 ? template.length : pathStart, firstMulti < 0 ? template.length : firstMulti);
  let out = template.slice(0, schemeEnd);
  let cursor = schemeEnd;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const at = m.index!;
    out += template.slice(cursor, at);
    const name = m[1];
    const value = context[name];
    if (at < authorityEnd) {
      if (typeof value !== 'string' || !isHostPort(value)) {
        throw new UrlValueError(name, `account context \`${name}\` must be a host name with an optional port, got ${describe(value)}`);
      }
      out += value.toLowerCase();
    } else if (m[2]) {
      out += encodePath(name, value);
    } else {
      out += encodeSegment(name, value);
    }
    cursor = at + m[0].length;
  }
  out += template.slice(cursor);
  const url = new URL(out);
  if (url.protocol !== 'https:') throw new UrlValueError('base_url', 'base URL must be https');
  if (url.username || url.password) throw new UrlValueError('base_url', 'base URL must not carry user info');
  // Local sandboxes and fakes do not speak TLS; loopback traffic never leaves the machine.
  if (isLoopbackHost(url.hostname)) url.protocol = 'http:';
  return url;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length ? 'an invalid string' : 'an empty string';
  return typeof value;
}
