/**
 * `npm run demo`: the README's quick start, end to end, against a local fake Okta.
 *
 *   1. starts the fake Okta (seeded groups and users) on 127.0.0.1:<port>
 *   2. in a throwaway data dir: `unimap keys create`, `unimap accounts add` (credentials on stdin)
 *   3. starts `unimap serve` on a free port
 *   4. prints and runs a curl that adds a user to a group, and shows the unified Group
 *   5. stops the server with SIGTERM (graceful) and cleans up
 *
 * It runs the built CLI (dist/, which `npm run demo` builds first); without a build it falls back
 * to running the TypeScript sources through tsx.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { DEFAULT_API_TOKEN, SEED_GROUP_IDS, SEED_USER_IDS, startFakeOkta } from '../fakes/okta/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const built = path.join(root, 'dist/engine/cli/main.js');
const cli = existsSync(built) ? [built] : ['--import', 'tsx', path.join(root, 'engine/cli/main.ts')];
const shown = existsSync(built) ? 'node dist/engine/cli/main.js' : 'npx tsx engine/cli/main.ts';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (s: string) => console.log(`\n${bold(`▸ ${s}`)}`);
const quote = (s: string) => (/^[A-Za-z0-9_./:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'unimap-demo-'));
  const env = { ...process.env, UNIMAP_DATA_DIR: dataDir, UNIMAP_SECRET_KEY: '' };
  const okta = await startFakeOkta();
  let server: ReturnType<typeof spawn> | undefined;
  try {
    step(`Fake Okta listening on ${okta.origin} (seeded: ${okta.state.groups.size} groups, ${okta.state.users.size} users)`);
    console.log(`  data dir: ${dataDir}`);

    step('Create an API key');
    const keyOut = runCli(['keys', 'create', '--json'], env);
    const { key } = JSON.parse(keyOut) as { key: string };
    console.log(`  $ ${shown} keys create --json\n  ${keyOut.trim()}`);

    step('Connect the Okta account (credentials read from stdin, so they stay out of the shell history)');
    const context = JSON.stringify({ domain: okta.host });
    const accountOut = runCli(['accounts', 'add', '--integration', 'okta', '--context', context, '--credentials', '-', '--json'], env, JSON.stringify({ api_token: DEFAULT_API_TOKEN }));
    const { id: accountId } = JSON.parse(accountOut) as { id: string };
    console.log(`  $ echo '{"api_token":"…"}' | ${shown} accounts add --integration okta --context ${quote(context)} --credentials - --json\n  ${accountOut.trim()}`);

    step('Start the server');
    server = spawn(process.execPath, [...cli, 'serve'], { cwd: root, env: { ...env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const serverLog: string[] = [];
    const url = await listeningUrl(server, serverLog);
    console.log(`  $ PORT=0 ${shown} serve\n  listening on ${url}`);

    const group = SEED_GROUP_IDS.contractors;
    const user = SEED_USER_IDS.jane;
    const target = `${url}/unified/user-directory/groups/add?integrated_account_id=${accountId}`;
    const body = JSON.stringify({ group_id: group, user_id: user });
    const args = ['-sS', '-i', '-X', 'POST', target, '-H', `Authorization: Bearer ${key}`, '-H', 'Content-Type: application/json', '-d', body];
    step(`Add Jane Doe to "Contractors" (member before: ${okta.state.isMember(group, user)})`);
    console.log(`  $ curl ${args.map(quote).join(' ')}\n`);
    const { status, headers, text } = (await hasCurl()) ? await viaCurl(args) : await viaUndici(target, key, body);
    console.log(`  HTTP ${status}`);
    for (const name of ['content-type', 'x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']) {
      if (headers[name]) console.log(`  ${name}: ${headers[name]}`);
    }
    const group_ = JSON.parse(text) as Record<string, unknown>;
    const { remote_data: remote, ...unified } = group_;
    console.log(`\n  unified Group:\n${indent(JSON.stringify(unified, null, 2))}`);
    console.log(`  (plus remote_data: Okta's own group object, ${Object.keys(remote as object).length} fields)`);
    console.log(`\n  member after: ${okta.state.isMember(group, user)}`);
    // The log line travels through a pipe; give it a moment.
    for (let i = 0; i < 50 && !serverLog.some((l) => l.includes('"msg":"request"')); i++) await new Promise((r) => setTimeout(r, 20));
    const access = serverLog.find((l) => l.includes('"msg":"request"'));
    if (access) console.log(`\n  the server's log line for it (route template, no secrets):\n    ${access}`);
    if (status !== 200 || !okta.state.isMember(group, user)) throw new Error(`the add did not succeed (HTTP ${status})`);

    step('Stop the server (SIGTERM: in-flight calls finish, then it exits)');
    const code = await stop(server);
    server = undefined;
    console.log(`  exited with ${code}`);
    return code === 0 ? 0 : 1;
  } finally {
    if (server) await stop(server);
    await okta.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  const res = spawnSync(process.execPath, [...cli, ...args], { cwd: root, env, input, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`unimap ${args[0]} ${args[1]} failed (${res.status}): ${res.stdout}${res.stderr}`);
  return res.stdout;
}

/** Resolves with the server's URL from its "listening" log line; every log line lands in `lines`. */
function listeningUrl(child: ReturnType<typeof spawn>, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      lines.splice(0, lines.length, ...out.split('\n').filter(Boolean));
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
}

function stop(child: ReturnType<typeof spawn>): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

function hasCurl(): Promise<boolean> {
  return new Promise((resolve) => execFile('curl', ['--version'], (err) => resolve(!err)));
}

function viaCurl(args: string[]): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', args, (err, stdout) => {
      if (err) return reject(err);
      const [head, ...rest] = stdout.split(/\r?\n\r?\n/);
      const lines = head.split(/\r?\n/);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(lines[0].split(' ')[1]), headers, text: rest.join('\n\n') });
    });
  });
}

async function viaUndici(url: string, key: string, body: string): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  console.log('  (curl is not installed; sending the same request with undici)');
  const res = await request(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
  return { status: res.statusCode, headers, text: await res.body.text() };
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
