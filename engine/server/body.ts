import type { IncomingMessage } from 'node:http';
import { UnifiedError } from '../errors.js';

export interface BodyLimits {
  maxBytes: number;
  /** Time allowed to receive the whole body, from the first read. */
  timeoutMs: number;
}

export interface ReadOptions extends BodyLimits {
  /**
   * Called right before the body is read. A client that sent `Expect: 100-continue` uploads only
   * after this, so a request refused earlier (401, 404...) never costs the upload.
   */
  beforeRead?: () => void;
}

/** Whether the request announces a body at all (RFC 9112 §6.3: Content-Length or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads and parses a JSON request body. A declared Content-Length over the limit is refused before
 * reading anything, and a streamed body is abandoned as soon as it crosses the limit, so nothing
 * unbounded is ever buffered. Returns undefined when there is no body.
 */
export async function readJsonBody(req: IncomingMessage, limits: ReadOptions): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  checkContentType(req.headers['content-type']);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
  limits.beforeRead?.();

  const bytes = await collect(req, limits);
  if (bytes.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UnifiedError('invalid_request', 'The request body is not valid UTF-8', { details: [{ path: 'body', message: 'is not valid UTF-8' }] });
  }
  return parseJson(text);
}

function checkContentType(header: string | undefined): void {
  const [type = '', ...params] = (header ?? '').split(';').map((p) => p.trim().toLowerCase());
  const isJson = type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (!isJson || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new UnifiedError('unsupported_media_type', `The request body must be JSON sent as Content-Type: application/json${header ? '' : ' (no Content-Type was given)'}`, {
      details: [{ path: 'headers.content-type', message: 'must be application/json (UTF-8)' }],
    });
  }
}

function collect(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err?: UnifiedError) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      // Stop pulling bytes off the socket; the response closes the connection (see respond.ts).
      if (err) req.pause();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return finish(tooLarge(limits.maxBytes));
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(new UnifiedError('invalid_request', 'The request body could not be read', { status: 400 }));
    const onClose = () => {
      if (!req.complete) finish(new UnifiedError('invalid_request', 'The client closed the connection while sending the body', { status: 400 }));
    };
    const timer = setTimeout(
      () => finish(new UnifiedError('invalid_request', `The request body did not arrive within ${limits.timeoutMs} ms`, { status: 408 })),
      limits.timeoutMs,
    );
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function parseJson(text: string): unknown {
  try {
    // JSON.parse makes `__proto__` an ordinary own key, but later spreads or merges might not treat
    // it so; no unified field is called that, so it is refused outright.
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new ProtoKeyError();
      return value;
    });
  } catch (err) {
    if (err instanceof ProtoKeyError) {
      throw new UnifiedError('invalid_request', 'The request body must not contain a "__proto__" key', { details: [{ path: 'body', message: 'contains a "__proto__" key' }] });
    }
    // V8's message quotes the offending text, which may hold a secret the caller meant to send.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new UnifiedError('invalid_request', `The request body is not valid JSON${at ? ` (at character ${at})` : ''}`, {
      details: [{ path: 'body', message: 'is not valid JSON' }],
    });
  }
}

class ProtoKeyError extends Error {}

function tooLarge(max: number): UnifiedError {
  return new UnifiedError('payload_too_large', `The request body is larger than ${max} bytes`, {
    details: [{ path: 'body', message: `must be at most ${max} bytes` }],
  });
}
