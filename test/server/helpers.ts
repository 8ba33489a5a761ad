/**
 * A whole unified-API stack for HTTP tests: the fake Okta, a file-backed store in a temp data dir
 * (so encryption at rest can be checked on the bytes), the engine, and the server on an ephemeral
 * port, with every log line captured as written.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { createEngine, jsonLogger, type Engine, type EngineOptions } from '../../engine/index.js';
import { createServer, type ServerLimits, type UnifiedServer } from '../../engine/server/index.js';
import { openStore, type AccountSummary, type Store } from '../../engine/store/index.js';
import { DEFAULT_API_TOKEN, startFakeOkta, type FakeOkta, type FakeOktaOptions } from '../fakes/okta/index.js';

export { DEFAULT_API_TOKEN, SEED_GROUP_IDS, SEED_USER_IDS } from '../fakes/okta/index.js';

export const ADD = '/unified/user-directory/groups/add';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface CallOptions {
  /** Raw query string without `?`, or pairs to encode. */
  query?: string | Record<string, string>;
  /** An object is sent as JSON with Content-Type: application/json. */
  body?: unknown;
  /** Raw body bytes, sent as is (with the given headers only). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** The API key; `null` sends no Authorization header. Default: the default environment's key. */
  key?: string | null;
}

export interface Stack {
  okta: FakeOkta;
  store: Store;
  dataDir: string;
  engine: Engine;
  server: UnifiedServer;
  url: string;
  /** Every log line the engine and the server wrote, as written. */
  logs: string[];
  key: string;
  stagingKey: string;
  account: AccountSummary;
  stagingAccount: AccountSummary;
  call(method: string, route: string, options?: CallOptions): Promise<Reply>;
  /** A second server on the same engine and store, with other limits. */
  serverWith(limits: Partial<ServerLimits>): Promise<{ server: UnifiedServer; url: string }>;
  /** A fresh account for the fake in the default environment (e.g. to keep rate-limit state apart). */
  newAccount(credentials?: Record<string, unknown>): AccountSummary;
  close(): Promise<void>;
}

export interface StackOptions {
  limits?: Partial<ServerLimits>;
  okta?: FakeOktaOptions;
  engine?: Partial<EngineOptions>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const okta = await startFakeOkta(options.okta);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'unimap-server-test-'));
  const store = openStore({ dataDir, env: {} });
  const logs: string[] = [];
  const logger = jsonLogger((line) => logs.push(line));
  // No jitter: a retried 5xx waits 0 ms, so error tests stay fast.
  const engine = await createEngine({ only: ['okta'], logger, random: () => 0, ...options.engine });
  const servers: UnifiedServer[] = [];
  const start = async (limits: Partial<ServerLimits> | undefined) => {
    const server = createServer({ engine, store, logger, limits });
    servers.push(server);
    const { url } = await server.listen(0, '127.0.0.1');
    return { server, url };
  };
  const main = await start(options.limits);
  const agent = new Agent({ connections: 64, keepAliveTimeout: 1_000 });

  const { key } = store.createApiKey();
  const { key: stagingKey } = store.createApiKey('staging');
  const newAccount = (credentials: Record<string, unknown> = { api_token: DEFAULT_API_TOKEN }, environment?: string) =>
    store.addAccount({ integration: 'okta', environment, context: { domain: okta.host }, credentials });
  const account = newAccount();
  const stagingAccount = newAccount({ api_token: DEFAULT_API_TOKEN }, 'staging');

  return {
    okta,
    store,
    dataDir,
    engine,
    server: main.server,
    url: main.url,
    logs,
    key,
    stagingKey,
    account,
    stagingAccount,
    call: (method, route, opts = {}) => call(agent, main.url, key, method, route, opts),
    serverWith: (limits) => start(limits),
    newAccount: (credentials) => newAccount(credentials),
    async close() {
      for (const s of servers) await s.close();
      await agent.close();
      await engine.close();
      store.close();
      await okta.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function call(dispatcher: Dispatcher, base: string, defaultKey: string, method: string, route: string, opts: CallOptions = {}): Promise<Reply> {
  const query = typeof opts.query === 'string' ? opts.query : opts.query ? new URLSearchParams(opts.query).toString() : '';
  const headers: Record<string, string> = {};
  const key = opts.key === undefined ? defaultKey : opts.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | Buffer | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, opts.headers);
  const res = await request(`${base}${route}${query ? `?${query}` : ''}`, { method: method as Dispatcher.HttpMethod, headers, body, dispatcher });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, text, json };
}

/** `integrated_account_id=<id>` plus extra raw query text. */
export function q(accountId: string, extra = ''): string {
  return `integrated_account_id=${accountId}${extra ? `&${extra}` : ''}`;
}

/** The database files' bytes (main file, -wal, -shm) as one buffer. */
export function storeBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).filter((n) => n.startsWith('unimap.sqlite')).map((n) => readFileSync(path.join(dataDir, n))));
}

/** Polls until `condition` holds (timing-independent waits, for machines under load). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
