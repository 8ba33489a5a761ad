import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { CallCancel, type Stoppable } from './deadline.js';
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

/**
 * One remote exchange through undici's dispatcher API, collected straight from the handler
 * callbacks: no response stream, no promise per chunk, and the raw header lines turned into our
 * record in one pass. What `dispatcher.request()` would add (a Readable per response, an
 * AsyncResource, a parsed header object we would copy again) was about a tenth of the server's
 * instructions per call.
 */
export function sendRequest(dispatcher: Dispatcher, req: RemoteRequest, limits: TransportLimits, signal?: CancelSignal): Promise<RemoteResponse> {
  return new Promise((resolve, reject) => {
    const collector = new ResponseCollector(limits.maxResponseBytes, signal, resolve, reject);
    if (signal?.aborted) {
      collector.onError(signal.reason);
      return;
    }
    try {
      dispatcher.dispatch(
        {
          origin: req.origin,
          path: req.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body,
          headersTimeout: limits.headersTimeoutMs,
          bodyTimeout: limits.bodyTimeoutMs,
        },
        collector,
      );
    } catch (err) {
      collector.onError(err);
    }
  });
}

/**
 * undici's handler interface (the one its own `request()` implements): connect, the status line
 * and headers, body chunks, then complete or error, exactly one of the last two.
 */
class ResponseCollector implements Dispatcher.DispatchHandler, Stoppable {
  private readonly started = performance.now();
  private status = 0;
  private headers: Record<string, string> = {};
  private chunks: Buffer[] = [];
  private bytes = 0;
  private abortRequest: ((reason?: Error) => void) | undefined;
  private settled = false;
  private onAbort: (() => void) | undefined = undefined;

  constructor(
    private readonly limit: number,
    private readonly signal: CancelSignal | undefined,
    private readonly resolve: (response: RemoteResponse) => void,
    private readonly reject: (err: TransportError) => void,
  ) {
    if (signal instanceof CallCancel) signal.watch(this);
    else if (signal) {
      this.onAbort = () => this.stop(signal.reason);
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.settled) abort(new Error('the call is already over'));
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: (Buffer | string)[] | null): boolean {
    // 1xx (100 Continue, 103 Early Hints) come before the real answer.
    if (statusCode < 200) return true;
    this.status = statusCode;
    // Turned into strings at once: undici's header buffers are views of the socket's read buffer,
    // and keeping them for the life of the call made every young-generation collection copy them.
    this.headers = rawHeaders ? headerRecord(rawHeaders) : {};
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.stop(new TransportError('too_large', `the remote response is larger than ${this.limit} bytes`));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (!this.finish()) return;
    const chunks = this.chunks;
    const text = chunks.length === 0 ? '' : (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
    const { body, malformed } = parseBody(text, this.headers['content-type']);
    this.resolve({
      status: this.status,
      headers: this.headers,
      text,
      body,
      malformed,
      bytes: this.bytes,
      durationMs: performance.now() - this.started,
    });
  }

  onError(err: unknown): void {
    if (this.finish()) this.reject(classify(err, this.signal));
  }

  /** Stops the exchange: the caller's cancellation, or a body past the limit. */
  stop(reason: unknown): void {
    const abort = this.abortRequest;
    this.onError(reason);
    // undici then reports the abort through onError, which finds the call already settled.
    abort?.(reason instanceof Error ? reason : new Error('the call was cancelled'));
  }

  /** True the first time only: exactly one of resolve and reject runs. */
  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.signal instanceof CallCancel) this.signal.unwatch(this);
    else if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
    return true;
  }
}

/**
 * Raw header lines to one record: lower-case names, a repeated header joined with ", " (RFC 9110
 * allows it; some providers send one `link` line per rel). A `__proto__` header is dropped.
 */
export function headerRecord(raw: readonly (Buffer | string)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const line = raw[i];
    const name = typeof line === 'string' ? line.toLowerCase() : headerName(line);
    if (name === '__proto__') continue;
    const value = latin1(raw[i + 1]);
    const seen = out[name];
    // `seen` may be inherited (a header named "constructor"): only an own value is joined.
    out[name] = seen !== undefined && Object.hasOwn(out, name) ? `${seen}, ${value}` : value;
  }
  return out;
}

/**
 * Lower-case header names seen before, by a hash of their bytes folded to lower case. A provider
 * sends the same two dozen names on every response; finding one here costs two short loops over
 * its bytes instead of a string made from them and another made by toLowerCase.
 */
const NAME_SLOTS = 256;
const knownNames: (string | undefined)[] = new Array(NAME_SLOTS).fill(undefined);

/** `latin1(bytes).toLowerCase()`, from the table when the bytes spell a name met before. */
function headerName(bytes: Buffer): string {
  const length = bytes.length;
  let hash = length;
  for (let i = 0; i < length; i++) hash = (Math.imul(hash, 31) + (bytes[i] | 0x20)) | 0;
  const slot = hash & (NAME_SLOTS - 1);
  const known = knownNames[slot];
  if (known !== undefined && known.length === length && spellsLowerCase(bytes, known)) return known;
  const name = latin1(bytes).toLowerCase();
  knownNames[slot] = name;
  return name;
}

/**
 * Whether `bytes`, with A-Z folded to a-z, are `lower` (a string toLowerCase made). True means
 * `latin1(bytes).toLowerCase() === lower`: every other byte equals its character, which toLowerCase
 * left as it was. (A non-ASCII capital answers false and takes the slow path.)
 */
function spellsLowerCase(bytes: Buffer, lower: string): boolean {
  for (let j = 0; j < lower.length; j++) {
    let c = bytes[j];
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * A header line's bytes as text, as undici decodes them (latin1). `latin1Slice` is what
 * `toString('latin1')` ends in, without the encoding lookup and argument checks around it: a
 * response has two dozen of these.
 */
function latin1(value: Buffer | string): string {
  return typeof value === 'string' ? value : (value as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(0, value.length);
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
