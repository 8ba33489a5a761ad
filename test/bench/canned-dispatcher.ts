/**
 * A stand-in for undici that answers every request at once with a fixed response, so a loop of
 * `engine.execute` measures the engine's own work: no sockets, no parsing of HTTP. A body is
 * serialized once per body object, and its response prepared once (a real server's work is not
 * the engine's CPU); the engine still reads the bytes, decodes and parses them on every call.
 */
import type { Dispatcher } from 'undici';

interface Prepared {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer[] & { destroy(): void };
}

export function cannedDispatcher(respond: (path: string) => { status: number; body: unknown; headers?: Record<string, string> }): Dispatcher {
  const prepared = new WeakMap<object, Prepared>();
  const prepare = (status: number, body: unknown, headers: Record<string, string> | undefined): Prepared => ({
    statusCode: status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    body: Object.assign([Buffer.from(JSON.stringify(body))], { destroy() {} }),
  });
  const dispatcher = {
    async request(options: { path: string }) {
      const { status, body, headers } = respond(options.path);
      if (body === null || typeof body !== 'object' || headers !== undefined) return prepare(status, body, headers);
      let response = prepared.get(body);
      if (!response || response.statusCode !== status) prepared.set(body, (response = prepare(status, body, headers)));
      return response;
    },
    async close() {},
    async destroy() {},
  };
  return dispatcher as unknown as Dispatcher;
}
