import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * One access-log record per request. It holds the route template, never the raw URL, and no query
 * values, headers or bodies: those are where API keys, credentials and personal data travel.
 */
export interface AccessRecord {
  msg: 'request';
  request_id: string;
  method: string;
  /** The matched route template, or null when nothing matched. */
  route: string | null;
  status?: number;
  duration_ms?: number;
  integration?: string;
  environment?: string;
  account_id?: string;
  /** The error kind of a failed call (`not_found`, `remote_error`...). */
  error_kind?: string;
  remote_status?: number;
  /** The client went away before the answer was written. */
  client_closed?: true;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's `x-request-id` is kept for correlation when it is short and plain; otherwise a new one is made. */
export function requestIdFor(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** The method as logged; an exotic method is a free-form string a client controls, so it is not echoed. */
export function loggedMethod(method: string | undefined): string {
  const m = (method ?? '').toUpperCase();
  return KNOWN_METHODS.has(m) ? m : 'OTHER';
}
