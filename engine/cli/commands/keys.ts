import { API_KEY_PREFIX } from '../../store/index.js';
import { parseArgs } from 'node:util';
import type { CommandIO } from '../command.js';
import { CommandError, openOperatorStore, output, COMMON_OPTIONS } from '../operator.js';

const HELP = `usage: unimap keys <create|list|revoke> [options]

  keys create [--environment NAME]   mint a key (environment "default" unless given); the key is shown once
  keys list [--environment NAME]     list keys (ids only, never the keys themselves)
  keys revoke ID                     revoke a key by its id (the "umk_…" prefix shown by list)

Options: --data-dir DIR (default: $UNIMAP_DATA_DIR, else ./.unimap), --json (one JSON object on stdout).`;

const KEY_ID_LENGTH = 12;

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const out = output('keys', argv, io);
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...COMMON_OPTIONS, environment: { type: 'string' }, 'data-dir': { type: 'string' } } });
    const [action, ...rest] = positionals;
    if (values.help || !action) {
      (values.help ? io.stdout : io.stderr).write(`${HELP}\n`);
      return values.help ? 0 : 2;
    }
    const store = () => openOperatorStore(values['data-dir'], io);
    switch (action) {
      case 'create': {
        noExtra(rest);
        const s = store();
        try {
          const created = s.createApiKey(values.environment);
          out.result(
            { key: created.key, id: created.id, environment: created.environment },
            `Created an API key for environment "${created.environment}" (id ${created.id}). It is shown only this once:\n\n  ${created.key}\n`,
          );
        } finally {
          s.close();
        }
        return 0;
      }
      case 'list': {
        noExtra(rest);
        const s = store();
        try {
          const keys = s.listApiKeys(values.environment);
          const lines = keys.map((k) => `${k.id}  ${k.environment.padEnd(12)}  created ${k.created_at}${k.revoked ? `  revoked ${k.revoked_at}` : ''}`);
          out.result({ keys }, keys.length ? lines.join('\n') : 'No API keys.');
        } finally {
          s.close();
        }
        return 0;
      }
      case 'revoke': {
        const [given, ...extra] = rest;
        if (!given) throw new CommandError('usage', 'keys revoke needs the key id, e.g. unimap keys revoke umk_AbCdEfGh', 2);
        noExtra(extra);
        // A pasted full key names its own id (its first 12 characters); never echo the rest.
        const id = given.length > KEY_ID_LENGTH && given.startsWith(API_KEY_PREFIX) ? given.slice(0, KEY_ID_LENGTH) : given;
        const s = store();
        try {
          if (!s.revokeApiKey(id, values.environment)) throw new CommandError('not_found', 'no active API key has this id (see: unimap keys list)');
          out.result({ id, revoked: true }, `Revoked API key ${id}.`);
        } finally {
          s.close();
        }
        return 0;
      }
      default:
        throw new CommandError('usage', `unknown action "${action.slice(0, 40)}"; use create, list or revoke`, 2);
    }
  } catch (err) {
    return out.failure(err);
  }
}

function noExtra(rest: string[]): void {
  if (rest.length) throw new CommandError('usage', `unexpected argument${rest.length > 1 ? 's' : ''} after the action (${rest.length})`, 2);
}
