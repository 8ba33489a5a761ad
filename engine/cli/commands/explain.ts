import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIO } from '../command.js';
import { formatIssue } from '../../errors.js';
import { defaultExpressionCompiler } from '../../expression/index.js';
import { loadDefinitions } from '../../loader/index.js';
import { objectArg, jsonArg, queryArg, responseArg, UsageError } from '../../testing/cli-values.js';
import { explain, ExplainSetupError, type ExplainInput } from '../../testing/explain.js';
import type { RemoteResponseSpec } from '../../testing/fixture-types.js';
import { loadFixtureFile } from '../../testing/load-fixtures.js';
import { scrubSecrets } from '../../testing/mask.js';
import { formatExplain } from '../../testing/report-explain.js';
import { owningIntegration, resolveIntegrationsDir, resolveSchemasDir } from '../../testing/workspace.js';

const USAGE = `usage: unimap explain --integration <name> --operation <model/resource/method> [options]
       unimap explain --fixture <file> [--case <name>] [options]

Shows the remote requests a definition would send for a unified call (method, URL, headers with
secrets masked, body) and, given canned responses, the unified result. Nothing is sent: the
engine runs with a recording dispatcher. Without a canned response, a request gets a stand-in
success (the step's first success status, else 200, with {} or an empty body), so every later
step is still shown; the output says so.

options:
      --integration <name>          integration folder name, e.g. acme
      --operation <op>              model/resource/method, or resource.method
      --context <json|@file>        account context (default: context_schema's examples)
      --credentials <json|@file>    account credentials (default: fake ones; always masked)
      --body <json|@file>           unified request body
      --query <query string>        e.g. 'remote_query[x]=1&truto_response_format=raw'
      --response <step>=[<status>:]<json|@file>
                                    canned response for a step (repeatable; in order for retries)
      --fixture <file>              take account, request and responses from a fixture
      --case <name>                 which case of a fixture with several
      --now <ISO date>              the engine's clock (default: the fixture's, else now)
      --json                        machine-readable output
      --integrations-dir <dir>      where integration folders are (default ./integrations)
      --schemas-dir <dir>           where schemas are
  -h, --help
`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        integration: { type: 'string' },
        operation: { type: 'string' },
        context: { type: 'string' },
        credentials: { type: 'string' },
        body: { type: 'string' },
        query: { type: 'string' },
        response: { type: 'string', multiple: true },
        fixture: { type: 'string' },
        case: { type: 'string' },
        now: { type: 'string' },
        json: { type: 'boolean', default: false },
        'integrations-dir': { type: 'string' },
        'schemas-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    io.stderr.write(`unimap explain: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let credentials: Record<string, unknown> = {};
  try {
    const input = await buildInput(values, io);
    if (!input) return 1;
    credentials = input.credentials ?? {};
    const result = await explain(input);
    const text = values.json ? JSON.stringify(result, null, 2) + '\n' : formatExplain(result);
    io.stdout.write(scrubSecrets(text, credentials));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`unimap explain: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ExplainSetupError) {
      io.stderr.write(scrubSecrets(`unimap explain: ${err.message}\n${err.issues.filter((i) => i.severity !== 'warning').map((i) => formatIssue(i) + '\n').join('')}`, credentials));
      return 1;
    }
    throw err;
  }
}

type Values = Record<string, string | boolean | string[] | undefined>;

async function buildInput(values: Values, io: CommandIO): Promise<ExplainInput | undefined> {
  const str = (name: string) => values[name] as string | undefined;
  const schemasDir = resolveSchemasDir({ cwd: io.cwd, schemasDir: str('schemas-dir') });
  let integrationsDir = resolveIntegrationsDir({ cwd: io.cwd, integrationsDir: str('integrations-dir') });
  const input: ExplainInput = { integrationsDir, schemasDir, displayRoot: io.cwd, integration: str('integration') ?? '', operation: str('operation') ?? '' };

  const fixture = str('fixture');
  if (fixture) {
    const file = path.resolve(io.cwd, fixture);
    const owner = owningIntegration(file);
    if (owner && !str('integrations-dir')) integrationsDir = path.dirname(owner.dir);
    const { definitions, issues } = await loadDefinitions({ integrationsDir, schemasDir, compiler: defaultExpressionCompiler(), displayRoot: io.cwd, only: owner ? [path.basename(owner.dir)] : undefined });
    const loaded = await loadFixtureFile(file, { definitions, definitionIssues: issues, integrationsDir, schemasDir, displayRoot: io.cwd });
    const problems = [...loaded.blockedBy, ...loaded.issues.filter((i) => i.severity !== 'warning')];
    if (problems.length) {
      io.stderr.write(`unimap explain: ${loaded.file} cannot be used:\n${problems.map((i) => formatIssue(i) + '\n').join('')}`);
      return undefined;
    }
    const wanted = str('case');
    const chosen = wanted ? loaded.cases.find((c) => c.name === wanted) : loaded.cases[0];
    if (!chosen) throw new UsageError(`${loaded.file} has no case "${wanted}"; its cases: ${loaded.cases.map((c) => c.name).join(', ')}`);
    Object.assign(input, {
      integrationsDir,
      integration: chosen.integration,
      operation: chosen.operation.key,
      context: chosen.account.context,
      credentials: chosen.account.credentials,
      query: chosen.query,
      body: chosen.body,
      now: chosen.now,
      exchanges: chosen.exchanges,
    });
  } else if (!input.integration || !input.operation) {
    throw new UsageError('give --integration and --operation, or --fixture <file>');
  }

  if (str('context') !== undefined) input.context = objectArg('context', str('context')!, io.cwd);
  if (str('credentials') !== undefined) input.credentials = objectArg('credentials', str('credentials')!, io.cwd);
  if (str('body') !== undefined) input.body = jsonArg('body', str('body')!, io.cwd);
  if (str('query') !== undefined) input.query = queryArg(str('query')!);
  if (str('now') !== undefined) {
    const now = Date.parse(str('now')!);
    if (Number.isNaN(now)) throw new UsageError(`--now ${str('now')}: not a date; use ISO 8601, e.g. 2024-01-01T00:00:00Z`);
    input.now = now;
  }
  const responses = new Map<string, RemoteResponseSpec[]>();
  for (const raw of (values.response as string[] | undefined) ?? []) {
    const r = responseArg(raw, io.cwd);
    responses.set(r.step, [...(responses.get(r.step) ?? []), { status: r.status, body: r.body }]);
  }
  if (responses.size) input.responses = responses;
  return input;
}
