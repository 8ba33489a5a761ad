import { Dispatcher } from 'undici';

/** A remote request as it reaches the network layer: what the provider would receive. */
export interface InterceptedRequest {
  origin: string;
  method: string;
  /** Path plus query string, as sent. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Undefined when no body was sent. */
  body?: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Answers one request, or throws to make it fail like a network error. */
export type Responder = (request: InterceptedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

/**
 * An undici dispatcher that never opens a socket: every request is handed to a responder function
 * (a fixture's exchanges, or explain's canned responses), whose answer is fed back to undici as if it
 * came from the wire. The responder can be swapped between calls, so one engine serves many cases.
 */
export class ScriptedDispatcher extends Dispatcher {
  constructor(public responder: Responder) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      if (handler.onResponseError) handler.onResponseError(controller, err);
      else handler.onError?.(err);
    };
    const controller = {
      abort: (reason?: Error) => fail(reason ?? new Error('request aborted')),
      pause() {},
      resume() {},
      get aborted() {
        return done;
      },
      get paused() {
        return false;
      },
      reason: null,
    } as unknown as Dispatcher.DispatchController;
    if (handler.onRequestStart) handler.onRequestStart(controller, {});
    else handler.onConnect?.((err?: Error) => fail(err ?? new Error('request aborted')));

    const request: InterceptedRequest = {
      origin: String(options.origin ?? ''),
      method: String(options.method),
      path: options.path,
      headers: normalizeHeaders(options.headers),
      body: typeof options.body === 'string' ? options.body : options.body instanceof Uint8Array ? Buffer.from(options.body).toString('utf8') : undefined,
    };
    Promise.resolve()
      .then(() => this.responder(request))
      .then(
        (response) => {
          if (done) return;
          done = true;
          const headers = { ...(response.headers ?? {}) };
          const data = Buffer.from(response.body ?? '', 'utf8');
          if (handler.onResponseStart) {
            handler.onResponseStart(controller, response.status, headers, '');
            if (data.length) handler.onResponseData?.(controller, data);
            handler.onResponseEnd?.(controller, {});
            return;
          }
          const raw = Object.entries(headers).flatMap(([k, v]) => [Buffer.from(k), Buffer.from(v)]);
          handler.onHeaders?.(response.status, raw, () => {}, '');
          if (data.length) handler.onData?.(data);
          handler.onComplete?.([]);
        },
        (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
      );
    return true;
  }

  override async close(): Promise<void> {}
  override async destroy(): Promise<void> {}
}

function normalizeHeaders(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries: [string, unknown][] = Array.isArray(headers)
    ? pairs(headers as string[])
    : Symbol.iterator in (headers as object) && !(headers.constructor === Object)
      ? [...(headers as Iterable<[string, unknown]>)]
      : Object.entries(headers as Record<string, unknown>);
  for (const [k, v] of entries) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}
