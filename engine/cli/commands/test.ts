import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIO } from '../command.js';
import { formatJsonReport } from '../../testing/report-json.js';
import { formatJunitReport } from '../../testing/report-junit.js';
import { formatTextReport } from '../../testing/report-text.js';
import { runSucceeded } from '../../testing/report-types.js';
import { runFixtures } from '../../testing/runner.js';

const USAGE = `usage: unimap test [paths…] [options]

Runs mapping fixtures (integrations/<name>/tests/*.yaml) offline through the engine.
Paths may be fixture files, tests/ folders, integration folders, definition files
(runs that operation's fixtures) or an integrations folder. Default: ./integrations.

options:
  -r, --reporter <text|json|junit>  output format (default text)
  -o, --output <file>               write the report to a file; a summary still goes to stdout
      --filter <text>               only cases whose "file name" contains this text
  -v, --verbose                     show the requests and result of passing cases too
      --integrations-dir <dir>      where integration folders are (default ./integrations)
      --schemas-dir <dir>           where schemas are (default ./schemas, else the package's)
  -h, --help

Exit code: 0 when every case passes, 1 otherwise, 2 on a usage error.
`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        reporter: { type: 'string', short: 'r', default: 'text' },
        output: { type: 'string', short: 'o' },
        filter: { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        'integrations-dir': { type: 'string' },
        'schemas-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.stderr.write(`unimap test: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const reporter = values.reporter;
  if (reporter !== 'text' && reporter !== 'json' && reporter !== 'junit') {
    io.stderr.write(`unimap test: --reporter must be text, json or junit, not "${reporter}"\n`);
    return 2;
  }
  const report = await runFixtures({
    paths: positionals,
    cwd: io.cwd,
    integrationsDir: values['integrations-dir'],
    schemasDir: values['schemas-dir'],
    filter: values.filter,
  });
  const text = reporter === 'json' ? formatJsonReport(report) : reporter === 'junit' ? formatJunitReport(report) : formatTextReport(report, { verbose: values.verbose });
  if (values.output) {
    await writeFile(path.resolve(io.cwd, values.output), text);
    const s = report.summary;
    io.stdout.write(`${s.total} cases: ${s.passed} passed, ${s.failed} failed${s.inspect ? `, ${s.inspect} inspect` : ''}${s.problems ? `; ${s.problems} problems` : ''} (report in ${values.output})\n`);
  } else io.stdout.write(text);
  return runSucceeded(report) ? 0 : 1;
}
