import type { Writable } from 'node:stream';

export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A CLI command: parses its own arguments, returns the process exit code. */
export interface CommandModule {
  run(argv: string[], io: CommandIO): Promise<number>;
}
