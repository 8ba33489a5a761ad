#!/usr/bin/env node
/**
 * `unimap <command>`: one binary for authors (validate, test, explain, coverage) and operators
 * (serve, keys, accounts). Each command lives in its own module under commands/ and is loaded
 * only when used, so `unimap validate` does not pay for the server's dependencies.
 */
import type { CommandModule } from './command.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  validate: { summary: 'check definitions and fixtures without running anything', load: () => import('./commands/validate.js') },
  test: { summary: 'run mapping fixtures offline', load: () => import('./commands/test.js') },
  explain: { summary: 'show the remote requests a definition would send', load: () => import('./commands/explain.js') },
  coverage: { summary: 'print the matrix of unified operations by integration', load: () => import('./commands/coverage.js') },
  serve: { summary: 'serve the unified API over HTTP', load: () => import('./commands/serve.js') },
  keys: { summary: 'manage API keys (create, list, revoke)', load: () => import('./commands/keys.js') },
  accounts: { summary: 'manage integrated accounts (add, list, remove)', load: () => import('./commands/accounts.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: unimap <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `unimap <command> --help` for a command\'s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unimap: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`unimap: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
