import type { ChildProcess } from 'node:child_process';

/**
 * The next IPC message from a bench child process (of `type`, when given), or an error when it
 * exits or stays silent for `timeoutMs`.
 */
export function nextMessage<T>(proc: ChildProcess, timeoutMs: number, type?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('child process did not report in time')), timeoutMs);
    const onMessage = (m: { type?: string }) => {
      if (type === undefined || m?.type === type) done(undefined, m as T);
    };
    const onExit = (code: number | null) => done(new Error(`child process exited with ${code}`));
    const done = (err?: Error, value?: T) => {
      clearTimeout(timer);
      proc.off('message', onMessage).off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    };
    proc.on('message', onMessage).on('exit', onExit);
  });
}
