/**
 * A stand-in for undici that answers every request with a fixed response, so a loop of
 * `engine.execute` measures the engine's own work: no sockets, no parsing of HTTP. It speaks
 * undici's dispatch handler interface (connect, headers, data, complete), answering on the next
 * microtask as a real dispatcher answers later. A body is serialized once per body object, and its
 * response prepared once (a real server's work is not the engine's CPU); the engine still reads
 * the raw header lines and the bytes, decodes and parses them on every call.
 */
import type { Dispatcher } from 'undici';

interface Prepared {
  statusCode: number;
  rawHeaders: Buffer[];
  body: Buffer;
}

export function cannedDispatcher(respond: (path: string) => { status: number; body: unknown; headers?: Record<string, string> }): Dispatcher {
  const prepared = new WeakMap<object, Prepared>();
  const prepare = (status: number, body: unknown, headers: Record<string, string> | undefined): Prepared => ({
    statusCode: status,
    rawHeaders: Object.entries({ 'content-type': 'application/json;charset=UTF-8', ...headers }).flatMap(([k, v]) => [Buffer.from(k), Buffer.from(v)]),
    body: Buffer.from(JSON.stringify(body)),
  });
  const answer = (path: string): Prepared => {
    const { status, body, headers } = respond(path);
    if (body === null || typeof body !== 'object' || headers !== undefined) return prepare(status, body, headers);
    let response = prepared.get(body);
    if (!response || response.statusCode !== status) prepared.set(body, (response = prepare(status, body, headers)));
    return response;
  };
  const dispatcher = {
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      (queueMicrotask as any)(() => {
        let aborted = false;
        handler.onConnect?.(() => {
          aborted = true;
        });
        if (aborted) return;
        const response = answer(options.path);
        handler.onHeaders?.(response.statusCode, response.rawHeaders, () => {}, '');
        if (aborted) return;
        handler.onData?.(response.body);
        if (!aborted) handler.onComplete?.([]);
      });
      return true;
    },
    async close() {},
    async destroy() {},
  };
  return dispatcher as unknown as Dispatcher;
}
