/** Structured logging: one JSON object per event. The engine never puts credentials in a record. */
export interface Logger {
  info(record: Record<string, unknown>): void;
  warn(record: Record<string, unknown>): void;
  error(record: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const emit = (level: string) => (record: Record<string, unknown>) => write(JSON.stringify({ time: new Date().toISOString(), level, ...record }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
