import { parseArgs } from 'node:util';
import { DefinitionLoadError } from '../../errors.js';
import { bufferedLines, jsonLogger, LOG_LEVELS, type LogLevel } from '../../logger.js';
import { createEngine } from '../../runtime/engine.js';
import { createServer, limitsFromEnv, LIMIT_ENV, resolveLimits } from '../../server/index.js';
import type { CommandIO } from '../command.js';
import { CommandError, COMMON_OPTIONS, definitionDirs, openOperatorStore, output } from '../operator.js';

const HELP = `usage: unimap serve [--port N] [--host ADDR] [--data-dir DIR] [--integrations DIR] [--schemas DIR]

Serves the unified API (/unified/<model>/...) and GET /health. On the very first start (no API key
was ever created) it creates one for environment "default" and prints it once, on stderr.
Stops gracefully on SIGTERM or SIGINT. Logs one JSON object per line on stdout: a line per
request at level info, warnings and errors; UNIMAP_LOG_LEVEL=warn keeps only the last two.

Environment:
  PORT (8080), HOST (127.0.0.1), UNIMAP_DATA_DIR (./.unimap), UNIMAP_SECRET_KEY (else DATA_DIR/secret.key)
  UNIMAP_LOG_LEVEL (info; or warn, error)
  ${Object.values(LIMIT_ENV).join(', ')}`;

export interface ServeValues {
  port?: string;
  host?: string;
  'data-dir'?: string;
  integrations?: string;
  schemas?: string;
}

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const out = output('serve', argv, io);
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { ...COMMON_OPTIONS, port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, integrations: { type: 'string' }, schemas: { type: 'string' } },
    }));
  } catch (err) {
    return out.failure(err);
  }
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) stop.abort(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    return await serve(values, io, stop.signal);
  } catch (err) {
    return out.failure(err);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/**
 * Runs the server until `stop` aborts, then drains and releases everything, so the process can
 * exit on its own with status 0. Exported for tests, which stop it without process signals.
 */
export async function serve(values: ServeValues, io: CommandIO, stop: AbortSignal, onListening?: (url: string) => void): Promise<number> {
  const port = parsePort(values.port ?? io.env.PORT, values.port === undefined ? 'PORT' : '--port');
  const host = values.host ?? (io.env.HOST?.trim() || '127.0.0.1');
  let limits;
  try {
    limits = resolveLimits(limitsFromEnv(io.env));
  } catch (err) {
    throw new CommandError('usage', (err as Error).message, 2);
  }
  const level = logLevel(io.env.UNIMAP_LOG_LEVEL);
  // A closed stdout (e.g. `unimap serve | head`) loses log lines; it must not take the server down.
  io.stdout.on('error', () => undefined);
  // A line per request: written in batches, one write per event-loop turn (see bufferedLines).
  const lines = bufferedLines(io.stdout);
  const logger = jsonLogger(lines.write, level);

  const store = openOperatorStore(values['data-dir'], io);
  let engine;
  try {
    // Only a store that never had a key gets one: revoking every key must not mint a new one.
    if (store.countApiKeys({ includeRevoked: true }) === 0) {
      const created = store.createApiKey();
      io.stderr.write(
        `\nunimap: first start, so an API key was created for environment "${created.environment}" (id ${created.id}).\n` +
          `It is shown only this once; copy it now:\n\n  export UNIMAP_API_KEY=${created.key}\n\n` +
          `Then: curl -H "Authorization: Bearer $UNIMAP_API_KEY" ...  (more keys: unimap keys create)\n\n`,
      );
    }
    try {
      engine = await createEngine({ ...definitionDirs(values, io), logger, callTimeoutMs: limits.callTimeoutMs, displayRoot: io.cwd });
    } catch (err) {
      if (err instanceof DefinitionLoadError) throw new CommandError('definitions', err.message);
      throw err;
    }
  } catch (err) {
    store.close();
    lines.flush();
    throw err;
  }

  const server = createServer({ engine, store, logger, limits, accessLog: level === 'info' });
  try {
    const address = await server.listen(port, host);
    logger.info({
      msg: 'listening',
      url: address.url,
      data_dir: store.dataDir,
      integrations: [...engine.definitions.integrations.keys()].sort(),
      routes: engine.definitions.catalog.methods.size,
    });
    onListening?.(address.url);
    if (!stop.aborted) await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
    logger.info({ msg: 'shutting down', reason: String(stop.reason ?? 'stop'), in_flight: server.inFlight, timeout_ms: limits.shutdownTimeoutMs });
    await server.close();
    logger.info({ msg: 'stopped' });
    return 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new CommandError('listen', `cannot listen on ${host}:${port} (${code})`);
    }
    throw err;
  } finally {
    await server.close();
    await engine.close();
    store.close();
    lines.flush();
  }
}

function parsePort(raw: string | undefined, what: string): number {
  if (raw === undefined || raw.trim() === '') return 8080;
  const n = Number(raw);
  if (!/^\d{1,5}$/.test(raw.trim()) || n > 65535) throw new CommandError('usage', `${what} must be a port number (0-65535; 0 picks a free port)`, 2);
  return n;
}

function logLevel(raw: string | undefined): LogLevel {
  const value = raw?.trim().toLowerCase() || 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new CommandError('usage', `UNIMAP_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`, 2);
}
