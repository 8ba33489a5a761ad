/**
 * What the operator commands (serve, keys, accounts) share: argument parsing with one error style,
 * `--json` output (exactly one JSON object on stdout, errors included), and opening the store.
 */
import path from 'node:path';
import { openStore, StoreError, type Store } from '../store/index.js';
import type { CommandIO } from './command.js';

/** A failure with a message that is safe to print: it never holds a credential or key value. */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Exit status: 2 for a usage mistake, 1 otherwise. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export interface Output {
  readonly json: boolean;
  /** Prints the result: the object with --json, the human line otherwise. */
  result(value: Record<string, unknown>, human: string): void;
  /** Prints a failure and returns the exit status. */
  failure(err: unknown): number;
}

export function output(command: string, argv: string[], io: CommandIO): Output {
  // Decided before parsing, so that a parse error is also reported as JSON when --json was asked for.
  const json = argv.includes('--json');
  return {
    json,
    result(value, human) {
      io.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human}\n`);
    },
    failure(err) {
      const e = asCommandError(err);
      if (json) io.stdout.write(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
      else io.stderr.write(`unimap ${command}: ${e.message}\n`);
      return e.exitCode;
    },
  };
}

function asCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  if (err instanceof StoreError) return new CommandError(err.code, err.message);
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    // node:util's messages name the option, never its value.
    return new CommandError('usage', (err as Error).message.split('. To specify')[0], 2);
  }
  return new CommandError('internal', err instanceof Error ? err.message : String(err));
}

/** Options every operator command takes, for node:util parseArgs. */
export const COMMON_OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

/** The store under `--data-dir`, else `UNIMAP_DATA_DIR`, else `./.unimap` (created on first use). */
export function openOperatorStore(dataDir: string | undefined, io: CommandIO): Store {
  const env = io.env;
  const fromEnv = env.UNIMAP_DATA_DIR?.trim() ? env.UNIMAP_DATA_DIR : undefined;
  return openStore({ dataDir: path.resolve(io.cwd, dataDir ?? fromEnv ?? '.unimap'), env });
}

/** Integrations and schemas folders: `--integrations`/`--schemas`, else the package's own. */
export function definitionDirs(values: { integrations?: string; schemas?: string }, io: CommandIO): { integrationsDir?: string; schemasDir?: string } {
  return {
    integrationsDir: values.integrations === undefined ? undefined : path.resolve(io.cwd, values.integrations),
    schemasDir: values.schemas === undefined ? undefined : path.resolve(io.cwd, values.schemas),
  };
}
