import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { RemoteRequest } from './plan-request.js';

export interface RemoteResponse {
  status: number;
  /** Lower-case names; a repeated header (some providers send one `link` line per rel) is joined with ", ", as RFC 9110 allows. */
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: unknown;
  /** The body claimed to be JSON but did not parse. */
  malformed: boolean;
  bytes: number;
  durationMs: number;
}

export interface TransportLimits {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxResponseBytes: number;
}

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  maxResponseBytes: 10 * 1024 * 1024,
};

/** Why a request got no usable response; the runtime maps these to 502/504 and decides on retries. */
export class TransportError extends Error {
  constructor(
    readonly reason: 'timeout' | 'network' | 'too_large' | 'aborted',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** A keep-alive pool per origin, shared by every call of an engine. */
export function createDefaultDispatcher(connectTimeoutMs = 5_000): Dispatcher {
  return new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 10_000, connections: 128, pipelining: 1 });
}

/**
 * What cancels a request: an AbortSignal, or anything undici accepts as one (an EventTarget with
 * `aborted`, `reason` and `abort` listeners, such as the runtime's CallCancel).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export async function sendRequest(dispatcher: Dispatcher, req: RemoteRequest, limits: TransportLimits, signal?: CancelSignal): Promise<RemoteResponse> {
  const started = performance.now();
  let res: Dispatcher.ResponseData;
  try {
    res = await dispatcher.request({
      origin: req.origin,
      path: req.path,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      headersTimeout: limits.headersTimeoutMs,
      bodyTimeout: limits.bodyTimeoutMs,
      signal: signal as AbortSignal | undefined,
    });
  } catch (err) {
    throw classify(err, signal);
  }
  let bytes = 0;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res.body) {
      bytes += (chunk as Buffer).length;
      if (bytes > limits.maxResponseBytes) {
        res.body.destroy();
        throw new TransportError('too_large', `the remote response is larger than ${limits.maxResponseBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof TransportError) throw err;
    throw classify(err, signal);
  }
  const headers = flattenHeaders(res.headers);
  const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
  const { body, malformed } = parseBody(text, headers['content-type']);
  return { status: res.statusCode, headers, text, body, malformed, bytes, durationMs: performance.now() - started };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(raw)) {
    const v = raw[k];
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function parseBody(text: string, contentType: string | undefined): { body: unknown; malformed: boolean } {
  if (text.length === 0) return { body: undefined, malformed: false };
  const claimsJson = !contentType || /\bjson\b/i.test(contentType);
  const trimmed = text.trimStart();
  if (claimsJson || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { body: JSON.parse(text), malformed: false };
    } catch {
      return { body: text, malformed: claimsJson };
    }
  }
  return { body: text, malformed: false };
}

function classify(err: unknown, signal?: CancelSignal): TransportError {
  if (err instanceof TransportError) return err;
  if (signal?.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError'
      ? new TransportError('timeout', 'the call ran past its deadline', { cause: err })
      : new TransportError('aborted', 'the call was cancelled', { cause: err });
  }
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || err instanceof undiciErrors.ConnectTimeoutError) {
    return new TransportError('timeout', `the remote API did not answer in time (${(err as Error).name})`, { cause: err });
  }
  const e = err as { code?: string; message?: string };
  return new TransportError('network', `could not reach the remote API: ${e.code ?? ''} ${e.message ?? String(err)}`.replace(/\s+/g, ' ').trim(), { cause: err });
}
