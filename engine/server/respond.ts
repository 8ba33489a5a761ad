import type { IncomingMessage, ServerResponse } from 'node:http';
import { UnifiedError, type ErrorEnvelope } from '../errors.js';
import { hasBody } from './body.js';

/**
 * Writing responses: one JSON shape for success, one envelope for every error, and the headers
 * every response carries. Nothing here ever puts an exception's internals on the wire.
 */

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** Headers a handler may pass through from the engine or an error (rate limits, Allow, WWW-Authenticate). */
const PASSED = new Set(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'allow', 'www-authenticate']);

/** The request being answered, and the id its answer carries (x-request-id). */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
}

export function sendJson(exchange: Exchange, status: number, body: unknown, headers?: Record<string, string>): void {
  const { req, res } = exchange;
  if (res.headersSent || res.destroyed) return;
  // Serialized once, written as a string: node then sends the head and the body in one write.
  const payload = body === undefined ? '' : JSON.stringify(body);
  const out: Record<string, string | number> = {};
  if (headers) {
    for (const name in headers) {
      // The engine's names are lower case already; only others pay for toLowerCase.
      const lower = PASSED.has(name) ? name : name.toLowerCase();
      if (PASSED.has(lower)) out[lower] = headers[name];
    }
  }
  out['x-request-id'] = exchange.requestId;
  out['content-type'] = BASE_HEADERS['content-type'];
  out['cache-control'] = BASE_HEADERS['cache-control'];
  out['x-content-type-options'] = BASE_HEADERS['x-content-type-options'];
  out['content-length'] = Buffer.byteLength(payload, 'utf8');
  if (leavesBodyUnread(req)) out.connection = 'close';
  // Merged with anything set before (connection: close while draining).
  res.writeHead(status, out);
  res.end(payload, 'utf8');
}

/** Up to this much of an unread body is skipped to keep the connection; more ends it. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * Answering before the body was read: node would then read and discard the rest to reuse the
 * connection. That is cheap for a small declared body, but a large or chunked one could keep the
 * socket busy for as long as the client likes, so the connection ends with the response instead.
 */
function leavesBodyUnread(req: IncomingMessage): boolean {
  if (req.complete || !hasBody(req)) return false;
  const declared = Number(req.headers['content-length']);
  return req.headers['transfer-encoding'] !== undefined || !Number.isFinite(declared) || declared > DRAIN_LIMIT;
}

export function sendError(exchange: Exchange, error: UnifiedError): void {
  const { res } = exchange;
  const headers: Record<string, string> = { ...error.headers };
  // A body that stalled or overflowed: whatever follows on this connection cannot be trusted.
  if ((error.statusCode === 408 || error.statusCode === 413) && !res.headersSent) res.setHeader('connection', 'close');
  const reset = headers['ratelimit-reset'];
  if (error.statusCode === 429 && reset !== undefined && headers['retry-after'] === undefined) headers['retry-after'] = reset;
  sendJson(exchange, error.statusCode, error.toEnvelope(), headers);
}

/** What an unexpected failure looks like to the caller: the request id, nothing of the cause. */
export function internalError(requestId: string, cause: unknown): UnifiedError {
  return new UnifiedError('internal', `An unexpected error occurred; the server log has the details under request id ${requestId}`, { cause });
}

/** The envelope as raw bytes, for answers written straight to a socket (client errors before routing). */
export function rawErrorResponse(status: number, message: string, requestId: string): string {
  const envelope: ErrorEnvelope = new UnifiedError('invalid_request', message, { status }).toEnvelope();
  const body = JSON.stringify(envelope);
  return [
    `HTTP/1.1 ${status} ${envelope.error}`,
    `content-type: ${BASE_HEADERS['content-type']}`,
    `content-length: ${Buffer.byteLength(body)}`,
    `x-request-id: ${requestId}`,
    'cache-control: no-store',
    'connection: close',
    '',
    body,
  ].join('\r\n');
}
