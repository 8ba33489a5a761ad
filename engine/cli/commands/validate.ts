import { parseArgs } from 'node:util';
import type { CommandIO } from '../command.js';
import { formatIssue } from '../../errors.js';
import { validateWorkspace } from '../../testing/validate.js';

const USAGE = `usage: unimap validate [paths…] [options]

Checks definitions and fixtures without running anything: schema errors, JSONata syntax,
unbound path parameters, mapping fields the unified schema lacks, fixtures naming missing
integrations or operations. Prints every problem as "file:line:col code message" with a hint.
Paths may be integration folders, definition or fixture files, or an integrations folder
(default ./integrations).

options:
      --json                    machine-readable output
  -v, --verbose                 also list every expression with its mode (compiled/interpreted)
      --integrations-dir <dir>  where integration folders are (default ./integrations)
      --schemas-dir <dir>       where schemas are (default ./schemas, else the package's)
  -h, --help

Exit code: 0 when there is no error (warnings allowed), 1 otherwise, 2 on a usage error.
`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
        'integrations-dir': { type: 'string' },
        'schemas-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.stderr.write(`unimap validate: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const report = await validateWorkspace({
    paths: positionals,
    cwd: io.cwd,
    integrationsDir: values['integrations-dir'],
    schemasDir: values['schemas-dir'],
    expressions: values.verbose,
  });
  const errors = report.issues.filter((i) => i.severity !== 'warning');
  const warnings = report.issues.filter((i) => i.severity === 'warning');
  if (values.json) {
    io.stdout.write(JSON.stringify({ ok: errors.length === 0, errors: errors.length, warnings: warnings.length, ...report }, null, 2) + '\n');
    return errors.length ? 1 : 0;
  }
  for (const issue of errors) io.stdout.write(`${formatIssue(issue)}\n`);
  for (const issue of warnings) io.stdout.write(`${formatIssue({ ...issue, message: `warning: ${issue.message}` })}\n`);
  if (report.expressions) {
    if (report.issues.length) io.stdout.write('\n');
    io.stdout.write(`expressions (${report.expressions.length}):\n`);
    for (const e of report.expressions) {
      const mode = e.fallbackReason ? `${e.mode} (${e.fallbackReason})` : e.mode;
      io.stdout.write(`${e.file}:${e.line}:${e.col} ${e.path} ${mode}: ${e.source.replace(/\s+/g, ' ').trim()}\n`);
    }
  }
  const c = report.checked;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  io.stdout.write(
    `${errors.length ? '' : 'ok: '}checked ${plural(c.integrations, 'integration')}, ${plural(c.operations, 'operation')}, ${plural(c.fixture_files, 'fixture file')} (${plural(c.cases, 'case')}): ${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}\n`,
  );
  return errors.length ? 1 : 0;
}
