/**
 * A stand-in for undici that answers every request at once with a fixed response, so a loop of
 * `engine.execute` measures the engine's own work: no sockets, no parsing of HTTP.
 */
import type { Dispatcher } from 'undici';

export function cannedDispatcher(respond: (path: string) => { status: number; body: unknown; headers?: Record<string, string> }): Dispatcher {
  const dispatcher = {
    async request(options: { path: string }) {
      const { status, body, headers } = respond(options.path);
      const bytes = Buffer.from(JSON.stringify(body));
      return {
        statusCode: status,
        headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
        body: Object.assign([bytes], { destroy() {} }),
      };
    },
    async close() {},
    async destroy() {},
  };
  return dispatcher as unknown as Dispatcher;
}
