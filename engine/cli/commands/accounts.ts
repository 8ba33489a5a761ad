import { createEngine } from '../../runtime/engine.js';
import { DefinitionLoadError } from '../../errors.js';
import { checkAccountInput, readJsonArgument } from '../account-input.js';
import { parseArgs } from 'node:util';
import type { CommandIO } from '../command.js';
import { CommandError, definitionDirs, openOperatorStore, output, COMMON_OPTIONS } from '../operator.js';

const HELP = `usage: unimap accounts <add|list|remove> [options]

  accounts add --integration NAME --context JSON --credentials JSON [--environment NAME]
      Connects an account. --context and --credentials each take a JSON object, @FILE to read it
      from a file, or - to read it from stdin, so secrets need not appear in the shell history:
        unimap accounts add --integration NAME --context '{"domain":"acme.example.com"}' --credentials @credentials.json
        printf '%s' "$CREDENTIALS_JSON" | unimap accounts add --integration NAME --context '{"domain":"acme.example.com"}' --credentials -
      (unimap coverage lists the integrations; each one's context and credentials fields are in
      integrations/NAME/integration.yaml.)
      Both are checked against the integration's schemas first; credentials are stored encrypted and
      never printed.
  accounts list [--environment NAME]      list accounts (id, integration, environment, context)
  accounts remove ID [--environment NAME] remove an account

Options: --data-dir DIR (default: $UNIMAP_DATA_DIR, else ./.unimap), --integrations DIR, --schemas DIR,
         --json (one JSON object on stdout).`;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const out = output('accounts', argv, io);
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...COMMON_OPTIONS,
      integration: { type: 'string' },
      context: { type: 'string' },
      credentials: { type: 'string' },
      environment: { type: 'string' },
      'data-dir': { type: 'string' },
      integrations: { type: 'string' },
      schemas: { type: 'string' },
    } });
    const [action, ...rest] = positionals;
    if (values.help || !action) {
      (values.help ? io.stdout : io.stderr).write(`${HELP}\n`);
      return values.help ? 0 : 2;
    }
    switch (action) {
      case 'add':
        if (rest.length) throw new CommandError('usage', 'accounts add takes options only (--integration, --context, --credentials)', 2);
        return await add(values, io, out);
      case 'list': {
        if (rest.length) throw new CommandError('usage', 'accounts list takes no arguments', 2);
        const store = openOperatorStore(values['data-dir'], io);
        try {
          const accounts = store.listAccounts(values.environment);
          const lines = accounts.map((a) => `${a.id}  ${a.integration.padEnd(10)}  ${a.environment.padEnd(12)}  ${JSON.stringify(a.context)}`);
          out.result({ accounts }, accounts.length ? lines.join('\n') : 'No accounts.');
        } finally {
          store.close();
        }
        return 0;
      }
      case 'remove': {
        const [id, ...extra] = rest;
        if (!id || extra.length) throw new CommandError('usage', 'accounts remove takes one account id', 2);
        const store = openOperatorStore(values['data-dir'], io);
        try {
          if (!store.removeAccount(id, values.environment)) throw new CommandError('not_found', 'no account has this id (see: unimap accounts list)');
          out.result({ id, removed: true }, `Removed account ${id}.`);
        } finally {
          store.close();
        }
        return 0;
      }
      default:
        throw new CommandError('usage', `unknown action "${action.slice(0, 40)}"; use add, list or remove`, 2);
    }
  } catch (err) {
    return out.failure(err);
  }
}

interface AddValues {
  integration?: string;
  context?: string;
  credentials?: string;
  environment?: string;
  'data-dir'?: string;
  integrations?: string;
  schemas?: string;
}

async function add(values: AddValues, io: CommandIO, out: ReturnType<typeof output>): Promise<number> {
  const missing = (['integration', 'context', 'credentials'] as const).filter((k) => values[k] === undefined);
  if (missing.length) throw new CommandError('usage', `accounts add needs ${missing.map((m) => `--${m}`).join(', ')}`, 2);
  if (values.context === '-' && values.credentials === '-') throw new CommandError('usage', 'only one of --context and --credentials can read stdin (-)', 2);
  const name = values.integration!;

  const sources = { cwd: io.cwd, stdin: io.stdin ?? process.stdin };
  const context = await readJsonArgument(values.context!, 'context', sources);
  const credentials = await readJsonArgument(values.credentials!, 'credentials', sources);

  let engine;
  try {
    engine = await createEngine({ ...definitionDirs(values, io), only: [name], displayRoot: io.cwd });
  } catch (err) {
    if (err instanceof DefinitionLoadError) throw new CommandError('definitions', `the definitions of "${name.slice(0, 60)}" do not load:\n${err.message}`);
    throw err;
  }
  try {
    const integration = engine.definitions.integrations.get(name);
    if (!integration) throw new CommandError('unknown_integration', `no integration named ${JSON.stringify(name.slice(0, 60))} is available (see: unimap coverage)`);
    const problems = checkAccountInput(integration, context, credentials);
    if (problems.length) throw new CommandError('invalid_account', `the account does not fit ${integration.spec.label}: ${problems.join('; ')}`);
  } finally {
    await engine.close();
  }

  const store = openOperatorStore(values['data-dir'], io);
  try {
    const account = store.addAccount({ integration: name, environment: values.environment, context, credentials });
    out.result(
      { id: account.id, integration: account.integration, environment: account.environment, context: account.context, created_at: account.created_at },
      `Added ${account.integration} account ${account.id} in environment "${account.environment}". Call it with ?integrated_account_id=${account.id}`,
    );
  } finally {
    store.close();
  }
  return 0;
}
