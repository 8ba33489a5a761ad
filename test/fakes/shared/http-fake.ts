/**
 * The node:http plumbing under every fake: a loopback server on an ephemeral port, the request log and
 * the body/URL parsing that feeds it, and the transport-level faults. What a fake answers (headers,
 * error bodies, auth, routing) stays in its own folder; this is only what they must all do the same
 * way for tests to trust them, above all closing without leaving hung sockets behind.
 */

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { DelayFault, FaultBase, FaultQueue, HangFault, ResetFault } from './fault-queue.js';

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** True once close() was called; a delayed request checks it so it does not answer after close. */
  readonly closed: boolean;
  /** A timer that close() cancels, so a pending `delay` fault cannot keep the process alive. */
  sleep(ms: number): Promise<void>;
  /** Destroys open sockets (hung requests included) and stops listening. Idempotent. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:0. `name` (e.g. `fake-okta`) prefixes the log line of a handler that rejects;
 * such a request's socket is destroyed unless the handler already started answering.
 */
export async function startLoopbackServer(name: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // After close() the failures are the sockets close() destroyed, not bugs.
      if (!closed) console.error(`[${name}] request failed`, err);
      if (!res.headersSent && !res.destroyed) res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that resets mid-request must not crash the test process.
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    get closed() {
      return closed;
    },
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, ms);
        timers.add(t);
      }),
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // server.close() alone waits for keep-alive and hung connections; tests must not.
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    },
  };
}

/** One request as the fakes see it before routing. */
export interface FakeRequest {
  /** Upper-cased. */
  method: string;
  /** Raw request target, as sent. */
  rawUrl: string;
  /** The target resolved against the fake's origin; `pathname` is still percent-encoded. */
  url: URL;
  /** Decoded query parameters; a repeated one is a list. */
  query: Record<string, string | string[]>;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

/** The whole body as UTF-8; rejects when the client goes away mid-body. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Throws, like `new URL`, on a request target that cannot be resolved. */
export function parseRequest(req: IncomingMessage, body: string, origin: string): FakeRequest {
  const rawUrl = req.url ?? '/';
  const url = new URL(rawUrl, origin);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  let json: unknown;
  try {
    // An empty or blank body is not JSON either: JSON.parse throws on it.
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { method: (req.method ?? 'GET').toUpperCase(), rawUrl, url, query, body, json };
}

/**
 * readBody + parseRequest, with `undefined` when the client went away mid-body: there is no one left
 * to answer, and the request never reaches the log.
 */
export async function readRequest(req: IncomingMessage, origin: string): Promise<FakeRequest | undefined> {
  let body: string;
  try {
    body = await readBody(req);
  } catch {
    return undefined;
  }
  return parseRequest(req, body, origin);
}

/** The fields every fake records for each request; a fake adds its own (request ids, resource paths). */
export interface BaseRecordedRequest<FaultKind extends string = string> {
  /** 1-based arrival order. */
  seq: number;
  method: string;
  /** Raw request target, e.g. `/api/v1/groups?limit=2`. */
  url: string;
  /** Raw (still percent-encoded) pathname. */
  path: string;
  /** Decoded query parameters; a repeated one is a list. */
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** Status sent, once the response has finished; absent for hangs and resets. */
  status?: number;
  /** The fault kind that answered this request, if any. */
  fault?: FaultKind;
}

/** Appends the request to `requests` and fills in `status` when the response finishes. */
export function recordRequest<R extends BaseRecordedRequest>(
  requests: R[],
  incoming: FakeRequest,
  req: IncomingMessage,
  res: ServerResponse,
  extra: Omit<R, keyof BaseRecordedRequest>,
): R {
  const record = {
    seq: requests.length + 1,
    method: incoming.method,
    url: incoming.rawUrl,
    path: incoming.url.pathname,
    query: incoming.query,
    headers: { ...req.headers },
    body: incoming.body,
    json: incoming.json,
    ...extra,
  } as R;
  requests.push(record);
  res.on('finish', () => {
    record.status = res.statusCode;
  });
  return record;
}

/**
 * Writes a whole response with a Content-Length when there is a body. Does nothing once a response
 * has started or the socket is gone, because a fault or the crash handler may already have answered.
 */
export function sendResponse(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body?: string | Buffer): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  const all = { ...headers };
  if (payload !== undefined) all['Content-Length'] = String(payload.length);
  res.writeHead(status, all);
  res.end(payload);
}

/** The faults that act on the connection rather than on what is said over it. */
export type TransportFault = HangFault | ResetFault | DelayFault;

/** True when the fault answered or swallowed the request; false when the fake should go on handling it. */
export async function applyTransportFault(fault: TransportFault, req: IncomingMessage, server: LoopbackServer): Promise<boolean> {
  switch (fault.kind) {
    case 'delay':
      await server.sleep(fault.ms);
      return server.closed;
    case 'hang':
      return true;
    case 'reset':
      req.socket.resetAndDestroy();
      return true;
  }
}

/** The part of every fake's handle that does not depend on the provider. */
export interface FakeServerHandle<F extends FaultBase, R> {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `127.0.0.1:PORT`, what an account's context holds to reach the fake. */
  readonly host: string;
  /** Every request received, in arrival order. */
  readonly requests: R[];
  /** Queues faults for the next requests they match. */
  inject(fault: F | F[]): void;
  clearFaults(): void;
  /** Queued faults not yet used up. */
  readonly pendingFaults: number;
  /** Destroys open sockets (hung requests included) and stops listening. */
  close(): Promise<void>;
}

/**
 * Add a fake's own members with `Object.assign(fakeServerHandle(...), { ... })`, not with a spread: a
 * spread would copy `pendingFaults` once instead of keeping it live.
 */
export function fakeServerHandle<F extends FaultBase, R>(server: LoopbackServer, faults: FaultQueue<F>, requests: R[]): FakeServerHandle<F, R> {
  return {
    origin: server.origin,
    host: server.host,
    requests,
    inject(fault) {
      faults.push(fault);
    },
    clearFaults() {
      faults.clear();
    },
    get pendingFaults() {
      return faults.size;
    },
    close: () => server.close(),
  };
}
