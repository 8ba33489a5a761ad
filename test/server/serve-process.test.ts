import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../engine/cli/command.js';
import { run as accounts } from '../../engine/cli/commands/accounts.js';
import { run as serveRun, serve as serveCommand } from '../../engine/cli/commands/serve.js';
import { repoRoot } from '../support/paths.js';
import { ADD, DEFAULT_API_TOKEN, SEED_GROUP_IDS, SEED_USER_IDS, waitFor } from './helpers.js';
import { startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';

interface Served {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `unimap serve` as a real process (through tsx, so no build is needed), on a free port. */
async function serve(dataDir: string, integrationsDir: string): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', UNIMAP_DATA_DIR: dataDir };
  delete env.UNIMAP_SECRET_KEY;
  const args = ['--import', 'tsx', path.join(repoRoot, 'engine/cli/main.ts'), 'serve', '--integrations', integrationsDir];
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`serve exited: ${out} ${err}`)));
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}

function captureIO(env: Record<string, string>): { io: CommandIO; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (t: string) => void) => new Writable({ write: (c, _e, done) => (append(String(c)), done()) });
  return { io: { stdout: sink((t) => (out += t)), stderr: sink((t) => (err += t)), env, cwd: repoRoot }, stdout: () => out, stderr: () => err };
}

describe('unimap serve (a real process)', () => {
  let dir: string;
  let integrations: string;
  let okta: FakeOkta;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'unimap-serve-test-'));
    // Only the integration under test, so each start loads in a fraction of the time.
    integrations = path.join(dir, 'integrations');
    mkdirSync(integrations);
    symlinkSync(path.join(repoRoot, 'integrations', 'okta'), path.join(integrations, 'okta'), 'dir');
    okta = await startFakeOkta();
  });
  afterAll(async () => {
    await okta.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first start prints a key once; an account added by the CLI is callable; SIGTERM drains an in-flight call and exits 0', async () => {
    const first = await serve(dir, integrations);
    const key = /export UNIMAP_API_KEY=(umk_[A-Za-z0-9_-]{43})/.exec(first.stderr())?.[1];
    expect(key, first.stderr()).toBeDefined();

    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');

    // The CLI writes to the same data dir while the server runs.
    let printed = '';
    const stdout = new Writable({ write: (c, _e, done) => ((printed += c), done()) });
    const code = await accounts(['add', '--integrations', integrations, '--integration', 'okta', '--context', JSON.stringify({ domain: okta.host }), '--credentials', JSON.stringify({ api_token: DEFAULT_API_TOKEN }), '--json'], {
      stdout,
      stderr: stdout,
      env: { UNIMAP_DATA_DIR: dir },
      cwd: repoRoot,
    });
    expect(code, printed).toBe(0);
    const accountId = (JSON.parse(printed) as { id: string }).id;

    okta.inject({ kind: 'delay', ms: 300, match: { method: 'PUT' } });
    const puts = okta.requests.filter((r) => r.method === 'PUT').length;
    const inflight = fetch(`${first.url}${ADD}?integrated_account_id=${accountId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ group_id: SEED_GROUP_IDS.contractors, user_id: SEED_USER_IDS.john }),
    });
    // SIGTERM once the call is inside the server, waiting on the (delayed) provider.
    await waitFor(() => okta.requests.filter((r) => r.method === 'PUT').length > puts, 'the PUT to reach the fake');
    first.child.kill('SIGTERM');
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(SEED_GROUP_IDS.contractors);
    expect(await first.exited).toBe(0);
    expect(okta.state.isMember(SEED_GROUP_IDS.contractors, SEED_USER_IDS.john)).toBe(true);

    const lines = first.stdout().split('\n').filter(Boolean);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(['listening', 'request', 'shutting down', 'stopped']));
    expect(records.find((r) => r.msg === 'request' && r.route === ADD)).toMatchObject({ status: 200, integration: 'okta', account_id: accountId });
    expect(first.stdout() + first.stderr()).not.toContain(DEFAULT_API_TOKEN);
    expect(first.stdout()).not.toContain(key);

    // Second start (in-process, stopped at once): a key exists, so none is printed.
    const again = captureIO({ UNIMAP_DATA_DIR: dir, PORT: '0' });
    expect(await serveCommand({ integrations }, again.io, AbortSignal.abort())).toBe(0);
    expect(again.stderr()).toBe('');
    expect(again.stdout()).toContain('"msg":"stopped"');
  });

  it('UNIMAP_LOG_LEVEL=warn leaves out the info lines (the access log among them); a level it does not know stops it', async () => {
    const quiet = captureIO({ UNIMAP_DATA_DIR: dir, PORT: '0', UNIMAP_LOG_LEVEL: 'warn' });
    expect(await serveCommand({ integrations }, quiet.io, AbortSignal.abort())).toBe(0);
    expect(quiet.stdout()).toBe('');
    const bad = captureIO({ UNIMAP_DATA_DIR: dir, PORT: '0', UNIMAP_LOG_LEVEL: 'verbose' });
    expect(await serveRun([], bad.io)).toBe(2);
    expect(bad.stderr()).toBe('unimap serve: UNIMAP_LOG_LEVEL must be one of info, warn, error, got "verbose"\n');
  });

  it('refuses to start with a limit that is not a positive integer, naming the variable', async () => {
    const bad = captureIO({ UNIMAP_DATA_DIR: dir, PORT: '0', UNIMAP_MAX_BODY_BYTES: '1MB' });
    expect(await serveRun([], bad.io)).toBe(2);
    expect(bad.stderr()).toBe('unimap serve: UNIMAP_MAX_BODY_BYTES must be a positive integer, got "1MB"\n');
  });
});
