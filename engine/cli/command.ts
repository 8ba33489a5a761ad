import type { Readable, Writable } from 'node:stream';

export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where `-` arguments are read from (e.g. `--credentials -`); process.stdin when absent. */
  stdin?: Readable;
}

/** A CLI command: parses its own arguments, returns the process exit code. */
export interface CommandModule {
  run(argv: string[], io: CommandIO): Promise<number>;
}
