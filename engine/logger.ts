/** Structured logging: one JSON object per event. The engine never puts credentials in a record. */
export interface Logger {
  info(record: Record<string, unknown>): void;
  warn(record: Record<string, unknown>): void;
  error(record: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** The levels a JSON logger writes, least severe first. */
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One JSON object per line; records below `minLevel` are dropped before they are built. */
export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n'), minLevel: LogLevel = 'info'): Logger {
  const emit = (level: LogLevel) =>
    LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(minLevel)
      ? () => undefined
      : (record: Record<string, unknown>) => write(JSON.stringify({ time: new Date().toISOString(), level, ...record }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Where buffered lines go: anything with a `write(text)`, e.g. process.stdout. */
export interface LineStream {
  write(text: string): unknown;
}

export interface BufferedLines {
  /** Queues one line (without its newline); pass as `jsonLogger(lines.write)`. */
  readonly write: (line: string) => void;
  /** Writes every queued line now. */
  flush(): void;
}

/** Past this many queued bytes a batch is written at once instead of at the end of the turn. */
const MAX_PENDING_BYTES = 64 * 1024;

/** Sinks holding lines not yet written, flushed synchronously if the process exits first. */
const unflushed = new Set<BufferedLines>();
let exitHook = false;

/**
 * Log lines written in batches. process.stdout writes synchronously to files and pipes, a system
 * call per write; a busy server logs a line per request, so here every line of one event-loop turn
 * goes out in one write, at the end of the turn (setImmediate) or sooner past 64 KiB. Nothing is
 * lost on the way out: pending lines keep the process alive until written, `flush()` writes them
 * at once, and an exit (process.exit, an uncaught exception) writes them synchronously. A failing
 * stream (a closed pipe) loses lines, never the process.
 */
export function bufferedLines(stream: LineStream): BufferedLines {
  let pending: string[] = [];
  let bytes = 0;
  let scheduled: NodeJS.Immediate | undefined;
  const sink: BufferedLines = {
    write(line: string): void {
      pending.push(line);
      bytes += line.length + 1;
      if (bytes > MAX_PENDING_BYTES) sink.flush();
      else if (!scheduled) {
        scheduled = setImmediate(sink.flush);
        unflushed.add(sink);
      }
    },
    flush(): void {
      if (scheduled) clearImmediate(scheduled);
      scheduled = undefined;
      unflushed.delete(sink);
      if (pending.length === 0) return;
      const text = pending.join('\n') + '\n';
      pending = [];
      bytes = 0;
      try {
        stream.write(text);
      } catch {
        // Nowhere left to report it.
      }
    },
  };
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const s of [...unflushed]) s.flush();
    });
  }
  return sink;
}
