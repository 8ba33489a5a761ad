import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../engine/cli/command.js';
import { run as accounts } from '../../engine/cli/commands/accounts.js';
import { run as keys } from '../../engine/cli/commands/keys.js';
import { openStore } from '../../engine/store/index.js';
import { storeBytes } from './helpers.js';

const TOKEN = '00cliTestToken-SECRET-value';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as one JSON object; fails the test when it is not exactly one line of JSON. */
  json: any;
}

describe('unimap keys / accounts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'unimap-cli-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function exec(command: typeof keys, argv: string[], stdin?: string): Promise<Captured> {
    let stdout = '';
    let stderr = '';
    const sink = (append: (s: string) => void) =>
      new Writable({
        write(chunk, _enc, done) {
          append(chunk.toString());
          done();
        },
      });
    const io: CommandIO = {
      stdout: sink((t) => (stdout += t)),
      stderr: sink((t) => (stderr += t)),
      env: { UNIMAP_DATA_DIR: dir },
      cwd: dir,
      stdin: stdin === undefined ? new PassThrough() : Readable.from([stdin]),
    };
    const code = await command(argv, io);
    let json: unknown;
    if (argv.includes('--json')) {
      const lines = stdout.split('\n').filter(Boolean);
      expect(lines, `exactly one JSON line on stdout, got: ${stdout}`).toHaveLength(1);
      json = JSON.parse(lines[0]);
    }
    return { code, stdout, stderr, json };
  }

  it('keys create / list / revoke, with --json printing exactly one object', async () => {
    const created = await exec(keys, ['create', '--json']);
    expect(created.code).toBe(0);
    expect(created.json).toEqual({ key: expect.stringMatching(/^umk_[A-Za-z0-9_-]{43}$/), id: created.json.key.slice(0, 12), environment: 'default' });
    const staging = await exec(keys, ['create', '--environment', 'staging', '--json']);
    expect(staging.json.environment).toBe('staging');

    const list = await exec(keys, ['list', '--json']);
    expect(list.json.keys.map((k: { id: string }) => k.id)).toEqual([created.json.id, staging.json.id]);
    expect(list.stdout).not.toContain(created.json.key);
    const onlyStaging = await exec(keys, ['list', '--environment', 'staging', '--json']);
    expect(onlyStaging.json.keys).toHaveLength(1);

    const store = openStore({ dataDir: dir, env: {} });
    try {
      expect(store.verifyApiKey(created.json.key)).toEqual({ id: created.json.id, environment: 'default' });
    } finally {
      store.close();
    }
    const revoked = await exec(keys, ['revoke', created.json.id, '--json']);
    expect(revoked.json).toEqual({ id: created.json.id, revoked: true });
    const again = await exec(keys, ['revoke', created.json.id, '--json']);
    expect(again.code).toBe(1);
    expect(again.json.error.code).toBe('not_found');
    // A pasted full key revokes its key and is never echoed.
    const pasted = await exec(keys, ['revoke', staging.json.key]);
    expect(pasted.code).toBe(0);
    expect(pasted.stdout + pasted.stderr).not.toContain(staging.json.key);
  });

  it('keys without --json print one human line per result', async () => {
    const created = await exec(keys, ['create']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created an API key for environment "default" \(id umk_\S+\)\. It is shown only this once:\n\n {2}umk_\S{43}\n/);
  });

  it('accounts add validates against the integration, stores credentials encrypted, prints no secret', async () => {
    const added = await exec(accounts, ['add', '--integration', 'okta', '--context', '{"domain":"acme.okta.com"}', '--credentials', `{"api_token":"${TOKEN}"}`, '--json']);
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), integration: 'okta', environment: 'default', context: { domain: 'acme.okta.com' } });
    expect(added.stdout + added.stderr).not.toContain(TOKEN);
    expect(storeBytes(dir).includes(Buffer.from(TOKEN))).toBe(false);

    const store = openStore({ dataDir: dir, env: {} });
    try {
      expect(store.getAccount(added.json.id, 'default')?.credentials.reveal()).toEqual({ api_token: TOKEN });
    } finally {
      store.close();
    }

    const list = await exec(accounts, ['list', '--json']);
    expect(list.json.accounts).toHaveLength(1);
    expect(list.stdout).not.toContain(TOKEN);
    const human = await exec(accounts, ['list']);
    expect(human.stdout).toContain(added.json.id);

    const removed = await exec(accounts, ['remove', added.json.id, '--json']);
    expect(removed.json).toEqual({ id: added.json.id, removed: true });
    expect((await exec(accounts, ['list', '--json'])).json.accounts).toEqual([]);
    expect((await exec(accounts, ['remove', added.json.id, '--json'])).code).toBe(1);
  });

  it('--environment puts the account in that environment', async () => {
    const added = await exec(accounts, ['add', '--integration', 'okta', '--environment', 'staging', '--context', '{"domain":"acme.okta.com"}', '--credentials', `{"api_token":"${TOKEN}"}`, '--json']);
    expect(added.json.environment).toBe('staging');
    expect((await exec(accounts, ['list', '--environment', 'default', '--json'])).json.accounts).toEqual([]);
  });

  it('reads credentials from @file and from stdin (-), so they stay out of shell history', async () => {
    const file = path.join(dir, 'creds.json');
    writeFileSync(file, JSON.stringify({ api_token: TOKEN }), { mode: 0o600 });
    const fromFile = await exec(accounts, ['add', '--integration', 'okta', '--context', '{"domain":"acme.okta.com"}', '--credentials', '@creds.json', '--json']);
    expect(fromFile.code).toBe(0);
    const fromStdin = await exec(accounts, ['add', '--integration', 'okta', '--context', '{"domain":"acme.okta.com"}', '--credentials', '-', '--json'], JSON.stringify({ access_token: TOKEN }));
    expect(fromStdin.code, fromStdin.stdout).toBe(0);
    const store = openStore({ dataDir: dir, env: {} });
    try {
      expect(store.getAccount(fromFile.json.id, 'default')?.credentials.reveal()).toEqual({ api_token: TOKEN });
      expect(store.getAccount(fromStdin.json.id, 'default')?.credentials.reveal()).toEqual({ access_token: TOKEN });
    } finally {
      store.close();
    }
    const missing = await exec(accounts, ['add', '--integration', 'okta', '--context', '{"domain":"acme.okta.com"}', '--credentials', '@nope.json', '--json']);
    expect(missing.json.error.message).toMatch(/cannot read the credentials file .*nope\.json: ENOENT/);
  });

  it.each([
    ['a domain with a scheme', '{"domain":"https://acme.okta.com"}', `{"api_token":"${TOKEN}"}`, 'context.domain must match format "host-port"'],
    ['no domain, and an unknown context field', '{"extra":1}', `{"api_token":"${TOKEN}"}`, 'context.domain is required; context.extra is not a known field'],
    ['an unknown credential', '{"domain":"acme.okta.com"}', `{"password":"${TOKEN}"}`, 'credentials.password is not a known field'],
    ['a wrongly typed token', '{"domain":"acme.okta.com"}', '{"api_token":12345}', 'credentials.api_token must be string'],
  ])('refuses %s, naming the field and never echoing a credential', async (_name, context, credentials, expected) => {
    const res = await exec(accounts, ['add', '--integration', 'okta', '--context', context, '--credentials', credentials, '--json']);
    expect(res.code).toBe(1);
    expect(res.json.error.code).toBe('invalid_account');
    expect(res.json.error.message).toContain(expected);
    expect(res.stdout + res.stderr).not.toContain(TOKEN);
    expect(res.stdout).not.toContain('12345');
    expect((await exec(accounts, ['list', '--json'])).json.accounts).toEqual([]);
  });

  it('credentials that are not JSON: the error does not quote them', async () => {
    const res = await exec(accounts, ['add', '--integration', 'okta', '--context', '{"domain":"acme.okta.com"}', '--credentials', `{api_token: ${TOKEN}`]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('unimap accounts: credentials is not valid JSON (give a JSON object, @file or - for stdin)\n');
    expect(res.stdout + res.stderr).not.toContain(TOKEN);
  });

  it('an unknown integration, a missing option or an unknown option is reported (JSON with --json)', async () => {
    const unknown = await exec(accounts, ['add', '--integration', 'nope', '--context', '{}', '--credentials', '{}', '--json']);
    expect(unknown.json.error.code).toBe('unknown_integration');
    const missing = await exec(accounts, ['add', '--integration', 'okta', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.json.error.message).toBe('accounts add needs --context, --credentials');
    const typo = await exec(accounts, ['add', `--credentails={"api_token":"${TOKEN}"}`, '--json']);
    expect(typo.code).toBe(2);
    expect(typo.json.error.code).toBe('usage');
    expect(typo.stdout).not.toContain(TOKEN);
  });

  it('checks at add time that the context forms a valid base URL, beyond what its schema says', async () => {
    // A loopback domain (a local sandbox) is accepted: the runtime calls it over plain http.
    const local = await exec(accounts, ['add', '--integration', 'okta', '--context', '{"domain":"127.0.0.1:8443"}', '--credentials', `{"api_token":"${TOKEN}"}`, '--json']);
    expect(local.code).toBe(0);
    // A lax context schema (no host-port format, free path segment) is still held to the runtime's URL rules.
    const defsDir = path.join(dir, 'defs');
    mkdirSync(path.join(defsDir, 'lax'), { recursive: true });
    writeFileSync(
      path.join(defsDir, 'lax', 'integration.yaml'),
      [
        'name: lax',
        'label: Lax',
        'base_url: https://{host}/{tenant}',
        'context_schema: { type: object, required: [host, tenant], properties: { host: { type: string }, tenant: { type: string } } }',
        'credentials_schema: { type: object, properties: { token: { type: string } } }',
        'auth: [{ type: bearer, credential: token }]',
        '',
      ].join('\n'),
    );
    const add = (context: object) => exec(accounts, ['add', '--integrations', defsDir, '--integration', 'lax', '--context', JSON.stringify(context), '--credentials', '{"token":"t"}', '--json']);
    const good = await add({ host: 'api.example.com', tenant: 't1' });
    expect(good.code, good.stdout).toBe(0);
    const badHost = await add({ host: 'evil.example.com/path?x=', tenant: 't1' });
    expect(badHost.json.error.message).toMatch(/context cannot form the base URL https:\/\/\{host\}\/\{tenant\}: account context `host` must be a host name/);
    const badTenant = await add({ host: 'api.example.com', tenant: '..' });
    expect(badTenant.json.error.message).toMatch(/path parameter `tenant` cannot be "\.\."/);
  });
});
