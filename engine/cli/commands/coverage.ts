import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssue } from '../../errors.js';
import { defaultExpressionCompiler } from '../../expression/index.js';
import { loadDefinitions } from '../../loader/index.js';
import { packageRoot } from '../../package-root.js';
import { coverageMatrix } from '../../runtime/describe.js';
import type { CommandIO } from '../command.js';

const HELP = `usage: unimap coverage [--integrations DIR] [--schemas DIR] [--json]

Prints which unified operations each integration provides.`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { integrations: { type: 'string' }, schemas: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout.write(HELP + '\n');
    return 0;
  }
  const root = packageRoot();
  const { definitions, issues } = await loadDefinitions({
    integrationsDir: path.resolve(io.cwd, values.integrations ?? path.join(root, 'integrations')),
    schemasDir: path.resolve(io.cwd, values.schemas ?? path.join(root, 'schemas')),
    compiler: defaultExpressionCompiler(),
    displayRoot: io.cwd,
  });
  const errors = issues.filter((i) => i.severity !== 'warning');
  for (const issue of errors) io.stderr.write(formatIssue(issue) + '\n');
  const matrix = coverageMatrix(definitions);
  if (values.json) {
    io.stdout.write(JSON.stringify(matrix) + '\n');
    return errors.length ? 1 : 0;
  }
  const width = Math.max(9, ...matrix.operations.map((o) => o.length));
  const cols = matrix.integrations.map((i) => Math.max(i.name.length, 3));
  io.stdout.write(`${'operation'.padEnd(width)}  ${matrix.integrations.map((i, k) => i.name.padEnd(cols[k])).join('  ')}\n`);
  for (const op of matrix.operations) {
    io.stdout.write(`${op.padEnd(width)}  ${matrix.integrations.map((i, k) => (matrix.cells[op][i.name] ? '✓' : '·').padEnd(cols[k])).join('  ')}\n`);
  }
  const provided = matrix.operations.reduce((n, op) => n + matrix.integrations.filter((i) => matrix.cells[op][i.name]).length, 0);
  io.stdout.write(`\n${provided} of ${matrix.operations.length * matrix.integrations.length} cells provided\n`);
  return errors.length ? 1 : 0;
}
