import type { CommandIO } from '../command.js';

export async function run(_argv: string[], io: CommandIO): Promise<number> {
  io.stderr.write('unimap keys: not available yet\n');
  return 1;
}
