import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { UnifiedMethod } from '../definition/loaded.js';
import { UnifiedError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { packageRoot } from '../package-root.js';
import type { Engine } from '../runtime/engine.js';
import type { AccountSource } from './account.js';
import type { KeyVerifier } from './auth.js';
import { cancellation, type CallCancel } from '../runtime/deadline.js';
import { describeOperation } from '../runtime/describe.js';
import { authenticate } from './auth.js';
import { healthReport } from './health.js';
import { resolveLimits, type ServerLimits } from './limits.js';
import { loggedMethod, requestIdFor, type AccessRecord } from './request-log.js';
import { internalError, rawErrorResponse, sendError, sendJson } from './respond.js';
import { createRouter, unifiedRoutes, type RouteSpec } from './router.js';
import { handleUnifiedCall, type CallContext } from './unified-call.js';

export interface CreateServerOptions {
  engine: Engine;
  /** API keys and accounts; the embedded SQLite store, or anything with these two methods. */
  store: KeyVerifier & AccountSource;
  /** Access log and errors, one JSON object per event. Default: silent. */
  logger?: Logger;
  /** One `info` record per request (the access log). Default: true when a logger is given. */
  accessLog?: boolean;
  limits?: Partial<ServerLimits>;
  /** Reported by GET /health. Default: the package's version. */
  version?: string;
}

export interface ServerAddress {
  host: string;
  port: number;
  /** `http://host:port`, ready to prefix a route. */
  url: string;
}

export interface UnifiedServer {
  /** Starts listening; port 0 picks a free one. Resolves with the bound address. */
  listen(port?: number, host?: string): Promise<ServerAddress>;
  /**
   * Graceful stop: refuses new requests (503, Connection: close), lets in-flight calls finish for
   * up to `limits.shutdownTimeoutMs`, then cancels what is left and closes every connection.
   * Idempotent. Does not close the engine or the store, which the caller owns.
   */
  close(): Promise<void>;
  readonly address: ServerAddress | undefined;
  /** Calls currently being handled. */
  readonly inFlight: number;
  /** The node:http server, for embedders that need it (e.g. to attach to an existing listener). */
  readonly http: Server;
}

type Target = { kind: 'health' } | { kind: 'unified'; unified: UnifiedMethod } | { kind: 'meta'; unified: UnifiedMethod };

/** Node keeps the response of a socket's current request here; its own clientError handler reads it too. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse };

export function createServer(options: CreateServerOptions): UnifiedServer {
  const { engine, store } = options;
  const limits = resolveLimits(options.limits);
  const logger = neverThrows(options.logger ?? silentLogger);
  const version = options.version ?? packageVersion();
  const startedAt = Date.now();
  const router = createRouter<Target>([
    { method: 'GET', template: '/health', target: { kind: 'health' } },
    ...unifiedRoutes(engine.definitions.catalog).map((r): RouteSpec<Target> => ({ ...r, target: { kind: 'unified', unified: r.target } })),
    // The data behind each operation's docs: schemas and "Required in: <integration>".
    ...[...engine.definitions.catalog.methods.values()].map((unified): RouteSpec<Target> => ({
      method: 'GET',
      template: `/unified/${unified.model}/${unified.resource}/meta/${unified.method}`,
      target: { kind: 'meta', unified },
    })),
  ]);

  const inFlight = new Set<InFlightCall>();
  const deps = { engine, store, limits };
  // Building and copying a record nobody reads is work on every request.
  const logsRequests = (options.accessLog ?? true) && options.logger !== undefined && options.logger !== silentLogger;
  let draining = false;
  let closing: Promise<void> | undefined;
  let bound: ServerAddress | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: CallCancel): Promise<void> => {
    const started = performance.now();
    const requestId = requestIdFor(req.headers);
    const record: AccessRecord = { msg: 'request', request_id: requestId, method: loggedMethod(req.method), route: null };
    const ctx: CallContext = { req, res, requestId, record, signal };
    try {
      if (draining) {
        res.setHeader('connection', 'close');
        throw new UnifiedError('unavailable', 'The server is shutting down; retry on a new connection', { headers: { 'retry-after': '1' } });
      }
      const expect = req.headers.expect;
      if (expect !== undefined && !/^100-continue$/i.test(expect.trim())) {
        throw new UnifiedError('invalid_request', 'Only "Expect: 100-continue" is supported', { status: 417 });
      }
      const { pathname, search } = splitTarget(req.url ?? '/');
      const match = router.match((req.method ?? '').toUpperCase(), pathname);
      switch (match.kind) {
        case 'bad_path':
          throw new UnifiedError('invalid_request', 'The path is not valid percent-encoding');
        case 'not_found':
          throw new UnifiedError('not_found', 'No route matches this path; unified routes are /unified/<model>/<resource>..., see schemas/unified/<model>/api.json');
        case 'method_not_allowed':
          throw new UnifiedError('method_not_allowed', `This route accepts ${match.allow.join(', ')}`, { headers: { allow: match.allow.join(', ') } });
      }
      record.route = match.route.template;
      const target = match.route.target;
      if (target.kind === 'health') {
        sendJson(ctx, 200, healthReport(engine.definitions, version, startedAt, Date.now()));
        return;
      }
      if (target.kind === 'meta') {
        authenticate(req.headers.authorization, store);
        sendJson(ctx, 200, describeOperation(engine.definitions, target.unified.model, target.unified.resource, target.unified.method));
        return;
      }
      await handleUnifiedCall(ctx, target.unified, match.params, search, deps);
    } catch (err) {
      const error = err instanceof UnifiedError ? err : internalError(requestId, err);
      if (!(err instanceof UnifiedError) || error.kind === 'internal') {
        logger.error({ msg: 'request failed', request_id: requestId, route: record.route, error: describeError(err instanceof UnifiedError && err.cause !== undefined ? err.cause : err) });
      }
      record.error_kind = error.kind;
      if (error.remote) record.remote_status = error.remote.status;
      sendError(ctx, error);
    } finally {
      record.status = res.headersSent ? res.statusCode : 499;
      if (signal.aborted && !res.writableFinished) record.client_closed = true;
      record.duration_ms = Math.round((performance.now() - started) * 10) / 10;
      // The record is not touched after this; the logger may keep it.
      if (logsRequests) logger.info(record as unknown as Record<string, unknown>);
    }
  };

  /** One request from start to end; never rejects. */
  const run = async (call: InFlightCall, req: IncomingMessage): Promise<void> => {
    try {
      await handle(req, call.res, call.cancel);
    } catch (err) {
      // handle() answers every error itself; reaching here is a bug, and still must not crash.
      logger.error({ msg: 'request handler crashed', error: describeError(err) });
      if (!call.res.headersSent) call.res.destroy();
    } finally {
      inFlight.delete(call);
    }
  };

  const http = createHttpServer(httpServerOptions(limits), (req, res) => {
    const call = new InFlightCall(res);
    // The caller went away: stop the remote call instead of finishing work nobody will read.
    (res as CallResponse)[CALL] = call;
    res.on('close', onResponseClose);
    inFlight.add(call);
    call.done = run(call, req);
  });
  // Expect: 100-continue is answered only when the body is about to be read (see body.ts).
  http.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => http.emit('request', req, res));
  // Any other expectation gets the envelope (417) from the handler, not node's bare answer.
  http.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => http.emit('request', req, res));
  http.on('clientError', (err: NodeJS.ErrnoException, rawSocket: Socket) => {
    const socket = rawSocket as HttpSocket;
    if (err.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const message =
      status === 408 ? 'The request did not arrive in time' : status === 431 ? 'The request headers are too large' : 'The request is not valid HTTP';
    const requestId = requestIdFor({});
    socket.end(rawErrorResponse(status, message, requestId));
    logger.info({ msg: 'request', request_id: requestId, method: 'OTHER', route: null, status, client_error: err.code ?? 'unknown' } satisfies AccessRecord & { client_error: string });
  });

  return {
    async listen(port = 0, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve();
        });
      });
      const info = http.address() as AddressInfo;
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      bound = { host: info.address, port: info.port, url: `http://${shownHost}:${info.port}` };
      return bound;
    },
    close() {
      closing ??= (async () => {
        draining = true;
        // Answers still to come tell their clients not to reuse the connection.
        for (const e of inFlight) if (!e.res.headersSent) e.res.setHeader('connection', 'close');
        const stopped = new Promise<void>((resolve) => {
          if (!http.listening) return resolve();
          http.close(() => resolve());
        });
        // Connections with no request in progress go now; busy ones close after their answer.
        http.closeIdleConnections();
        const settled = Promise.all([...inFlight].map((e) => e.done));
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          settled.then(() => 'done' as const),
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limits.shutdownTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          logger.warn({ msg: 'shutdown timeout: cancelling in-flight calls', in_flight: inFlight.size, timeout_ms: limits.shutdownTimeoutMs });
          for (const e of inFlight) e.cancel.abort(new Error('the server is shutting down'));
          await Promise.race([Promise.all([...inFlight].map((e) => e.done)), delay(1_000)]);
        }
        http.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
    get address() {
      return bound;
    },
    get inFlight() {
      return inFlight.size;
    },
    http,
  };
}

/**
 * What node:http is told about timeouts and keep-alive, from the server's limits. Exported so the
 * benchmark's minimal gateway runs with exactly the same settings.
 */
export function httpServerOptions(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    // Node's own bound on receiving a whole request; the body reader's tighter timer answers first.
    requestTimeout: limits.headersTimeoutMs + limits.bodyTimeoutMs + 1_000,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often node looks for connections past those timeouts (its default, 30 s, would let a
    // slow client hold a socket well past headersTimeout).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
  };
}

/** A request being handled: what close() waits for, or cancels. */
class InFlightCall {
  readonly cancel = cancellation();
  done: Promise<void> = Promise.resolve();
  constructor(readonly res: ServerResponse) {}
}

const CALL = Symbol('unimap.call');
type CallResponse = ServerResponse & { [CALL]?: InFlightCall };

/** One listener for every response (no closure per request); `this` is the response. */
function onResponseClose(this: CallResponse): void {
  if (!this.writableFinished) this[CALL]?.cancel.abort(new Error('the client closed the connection'));
}

/** Splits a request target into path and query string; an absolute-form target is reduced to its path. */
function splitTarget(target: string): { pathname: string; search: string } {
  let t = target;
  if (!t.startsWith('/')) {
    try {
      const u = new URL(t);
      t = u.pathname + u.search;
    } catch {
      t = '/';
    }
  }
  const q = t.indexOf('?');
  return q < 0 ? { pathname: t, search: '' } : { pathname: t.slice(0, q), search: t.slice(q + 1) };
}

function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { value: typeof err };
}

/** A logger that fails (a closed pipe, a broken custom sink) must not turn a handled request into a crash. */
function neverThrows(logger: Logger): Logger {
  const guard = (write: (record: Record<string, unknown>) => void) => (record: Record<string, unknown>) => {
    try {
      write(record);
    } catch {
      // Nowhere left to report it.
    }
  };
  return { info: guard((r) => logger.info(r)), warn: guard((r) => logger.warn(r)), error: guard((r) => logger.error(r)) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
