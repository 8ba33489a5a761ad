/**
 * The embedded default store: one SQLite file (WAL mode) under the data directory.
 *
 * Every write is a single statement or an explicit transaction, so a crash leaves either the old
 * row or the new one. Credentials are sealed (crypto.ts) with the account's id, environment and
 * integration as additional data: a ciphertext copied into another row, or a row moved to another
 * environment, no longer opens.
 */

import { createHash, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { deepFreeze } from '../deep-freeze.js';
import { open, seal, SealError, KEY_BYTES } from './crypto.js';
import { StoreError } from './errors.js';
import { migrate } from './schema.js';
import { Secret } from './secret.js';
import { loadSecretKey, SECRET_KEY_ENV, type SecretKeySource } from './secret-key.js';
import {
  DEFAULT_ENVIRONMENT,
  type AccountChanges,
  type AccountSummary,
  type AccountWithSecrets,
  type ApiKeyCreated,
  type ApiKeyIdentity,
  type ApiKeyInfo,
  type JsonObject,
  type NewAccount,
  type OpenStoreOptions,
  type Store,
} from './types.js';

export const DATA_DIR_ENV = 'UNIMAP_DATA_DIR';
export const DEFAULT_DATA_DIR = './.unimap';
export const DATABASE_FILENAME = 'unimap.sqlite';

export const API_KEY_PREFIX = 'umk_';
const API_KEY_PATTERN = /^umk_[A-Za-z0-9_-]{43}$/;
/** `umk_` + 8 chars = 48 bits: unique enough to name a key, far too little to guess the rest. */
const API_KEY_ID_LENGTH = 12;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const KEY_CHECK_NAME = 'key_check';
const KEY_CHECK_AAD = 'unimap/key-check/v1';
const KEY_CHECK_PLAINTEXT = Buffer.from('unimap key check v1', 'utf8');

interface AccountRow {
  id: string;
  integration: string;
  environment: string;
  context: string;
  credentials: Buffer;
  created_at: string;
  updated_at: string;
}

interface ApiKeyRow {
  id: string;
  environment: string;
  created_at: string;
  revoked_at: string | null;
}

/** Open (creating if needed) the store. Throws StoreError for key and schema problems. */
export function openStore(options: OpenStoreOptions = {}): Store {
  const env = options.env ?? process.env;
  let dataDir: string | undefined;
  let db: Database.Database;
  if (options.inMemory) {
    db = new Database(':memory:');
  } else {
    dataDir = path.resolve(options.dataDir ?? nonEmpty(env[DATA_DIR_ENV]) ?? DEFAULT_DATA_DIR);
    // mkdir's mode only applies to directories it creates; an existing directory is the
    // operator's choice and is left alone.
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, DATABASE_FILENAME);
    // SQLite gives -wal/-shm the main file's mode, so creating it private covers all three.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    db = new Database(file);
  }
  try {
    db.pragma('journal_mode = WAL');
    // FULL: an account reported as added survives power loss, not just a process crash.
    db.pragma('synchronous = FULL');
    // Zero freed pages so a removed account's ciphertext does not linger in the file.
    db.pragma('secure_delete = ON');
    migrate(db);

    const storedCheck = db.prepare('SELECT value FROM meta WHERE name = ?').pluck().get(KEY_CHECK_NAME) as
      | Buffer
      | undefined;
    let key: KeyObject;
    let source: SecretKeySource;
    let origin: string;
    if (options.inMemory && options.secretKey === undefined) {
      key = createSecretKey(randomBytes(KEY_BYTES));
      source = 'ephemeral';
      origin = 'the ephemeral key';
    } else {
      const loaded = loadSecretKey({
        dataDir: dataDir ?? '.',
        secretKey: options.secretKey,
        env,
        // Accounts without a check only exist if someone edited the file; a new key would not help.
        mayGenerate: storedCheck === undefined && !db.prepare('SELECT EXISTS (SELECT 1 FROM accounts)').pluck().get(),
      });
      key = loaded.key;
      source = loaded.source;
      origin = source === 'option' ? 'the secretKey option' : source === 'env' ? SECRET_KEY_ENV : loaded.file!;
    }

    // Verify the key up front so a misconfigured server fails at start, not on the first request.
    // A first open records the check; INSERT OR IGNORE + re-read settles a race between two first
    // opens with different keys in favour of whoever wrote first.
    if (storedCheck === undefined) {
      db.prepare('INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)').run(
        KEY_CHECK_NAME,
        seal(key, KEY_CHECK_PLAINTEXT, KEY_CHECK_AAD),
      );
    }
    const check = db.prepare('SELECT value FROM meta WHERE name = ?').pluck().get(KEY_CHECK_NAME) as Buffer;
    try {
      open(key, check, KEY_CHECK_AAD);
    } catch (err) {
      if (!(err instanceof SealError)) throw err;
      throw new StoreError(
        'SECRET_KEY_MISMATCH',
        `the secret key from ${origin} is not the key the database in ${dataDir} was encrypted ` +
          `with: wrong ${SECRET_KEY_ENV}?`,
      );
    }
    return new SqliteStore(db, key, dataDir, source);
  } catch (err) {
    db.close();
    throw err;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 140)) : typeof value;
    throw new StoreError(
      'INVALID_INPUT',
      `${what} must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit; got ${shown}`,
    );
  }
  return value;
}

/**
 * Require a plain JSON object and return its JSON text. Errors name the field path and the
 * offending type, never a value: for credentials, a value is a secret.
 */
function toJsonObjectText(value: unknown, what: string): string {
  const ancestors: object[] = [];
  const visit = (v: unknown, at: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw invalid(at, 'a non-finite number');
      return;
    }
    if (typeof v !== 'object') throw invalid(at, typeof v);
    if (ancestors.includes(v)) throw invalid(at, 'a circular reference');
    ancestors.push(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (item === undefined) throw invalid(`${at}[${i}]`, 'undefined');
        visit(item, `${at}[${i}]`);
      });
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw invalid(at, `an instance of ${(proto as { constructor?: { name?: string } })?.constructor?.name ?? 'a class'}`);
      }
      for (const [k, item] of Object.entries(v)) {
        // Matches JSON.stringify, and lets callers write `{ token, refresh: maybeUndefined }`.
        if (item === undefined) continue;
        visit(item, `${at}.${k}`);
      }
    }
    ancestors.pop();
  };
  const invalid = (at: string, got: string) =>
    new StoreError('INVALID_INPUT', `${at} must be a JSON value, got ${got}`);

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreError('INVALID_INPUT', `${what} must be a plain JSON object`);
  }
  visit(value, what);
  return JSON.stringify(value);
}

function accountAad(id: string, environment: string, integration: string): Buffer {
  // NUL cannot occur in a uuid or a validated name, so the encoding is unambiguous.
  return Buffer.from(`unimap/account/v1\0${id}\0${environment}\0${integration}`, 'utf8');
}

function summary(row: AccountRow): AccountSummary {
  return {
    id: row.id,
    integration: row.integration,
    environment: row.environment,
    context: JSON.parse(row.context) as JsonObject,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const ACCOUNT_COLUMNS = 'id, integration, environment, context, credentials, created_at, updated_at';
const SUMMARY_COLUMNS = 'id, integration, environment, context, created_at, updated_at';

/** Most verified keys, and most decrypted accounts, one store keeps (see SqliteStore). */
const CACHE_LIMIT = 1_000;

/** An account as cached: context parsed and deep-frozen, credentials as decrypted JSON text. */
interface CachedAccount extends Omit<AccountSummary, 'context'> {
  context: JsonObject;
  credentials: Secret<string>;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  // Oldest first out: a Map iterates in insertion order.
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

function parseCredentials(text: string, id: string): JsonObject {
  try {
    return JSON.parse(text) as JsonObject;
  } catch {
    // Unreachable for authenticated data; if it happens, V8's message would quote the text.
    throw new StoreError('DECRYPT_FAILED', `credentials for account ${id} are not valid JSON`);
  }
}

/**
 * Key and connection live in private fields: JSON.stringify and util.inspect of a store show only
 * `dataDir` and `secretKeySource`.
 */
class SqliteStore implements Store {
  readonly dataDir: string | undefined;
  readonly secretKeySource: SecretKeySource;
  readonly #db: Database.Database;
  readonly #key: KeyObject;
  readonly #statements = new Map<string, Database.Statement>();
  /**
   * Verified API keys and decrypted accounts, so a server does not pay SHA-256, SQLite and AES-GCM
   * on every request. Both hold only what the database says now: a write through this store clears
   * them itself, and a commit by any other connection (the CLI in another process, a second store)
   * moves `PRAGMA data_version`, which every read checks first. Only successes are kept (a flood of
   * wrong keys or ids cannot grow them), at most CACHE_LIMIT each, in private fields like the
   * encryption key (which can open every account anyway).
   *
   * Keys are looked up by their text: hashing every request's key was a measurable part of a
   * request. A lookup in a Map compares V8's per-process seeded hashes, never the characters of a
   * remembered key against a guess, so a hit or a miss tells a caller nothing about other keys.
   * Credentials stay in a Secret, as their JSON text: every read parses a fresh object, exactly as
   * an uncached read would. The context is one deep-frozen object per cached account, handed to
   * every read: nobody can change what the next read gets, and the engine, seeing the same frozen
   * object again, skips re-checking it (AccountContexts).
   */
  readonly #keyCache = new Map<string, ApiKeyIdentity>();
  readonly #accountCache = new Map<string, CachedAccount>();
  #dataVersion: unknown;
  #dataVersionStatement: Database.Statement | undefined;

  constructor(db: Database.Database, key: KeyObject, dataDir: string | undefined, source: SecretKeySource) {
    this.#db = db;
    this.#key = key;
    this.dataDir = dataDir;
    this.secretKeySource = source;
  }

  /** Clears the caches if another connection has committed since the last look. */
  #fresh(): void {
    // Prepared once with pluck() set: two native calls fewer on every request.
    this.#dataVersionStatement ??= this.#sql('PRAGMA data_version').pluck();
    this.#live();
    const version = this.#dataVersionStatement.get();
    if (version !== this.#dataVersion) {
      this.#dataVersion = version;
      this.#forget();
    }
  }

  #forget(): void {
    this.#keyCache.clear();
    this.#accountCache.clear();
  }

  #live(): Database.Database {
    if (!this.#db.open) throw new StoreError('CLOSED', 'the store is closed');
    return this.#db;
  }

  /** Prepared once per store: verifyApiKey and getAccount run on every request. */
  #sql(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#live().prepare(sql);
      this.#statements.set(sql, statement);
    } else {
      this.#live();
    }
    return statement;
  }

  createApiKey(environment: string = DEFAULT_ENVIRONMENT): ApiKeyCreated {
    checkName(environment, 'environment');
    const insert = this.#sql('INSERT INTO api_keys (id, key_hash, environment, created_at) VALUES (?, ?, ?, ?)');
    for (let attempt = 0; ; attempt++) {
      const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
      const id = key.slice(0, API_KEY_ID_LENGTH);
      try {
        insert.run(id, hashApiKey(key), environment, new Date().toISOString());
        return { key, id, environment };
      } catch (err) {
        // A 48-bit id prefix can collide, very rarely; draw again rather than fail.
        const code = (err as { code?: string }).code;
        if (code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' || attempt >= 4) throw err;
      }
    }
  }

  verifyApiKey(key: string): ApiKeyIdentity | undefined {
    if (typeof key !== 'string') return undefined;
    this.#fresh();
    // Only well-formed keys are ever cached, so the pattern is checked on a miss alone.
    let found = this.#keyCache.get(key);
    if (!found) {
      if (!API_KEY_PATTERN.test(key)) return undefined;
      // Looking up by hash leaks nothing through timing: the digest of a guess is unrelated to any
      // stored digest, so no byte-by-byte comparison of secret material happens.
      const row = this.#sql(
        'SELECT id, environment FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL',
      ).get(hashApiKey(key)) as ApiKeyIdentity | undefined;
      if (!row) return undefined;
      found = { id: row.id, environment: row.environment };
      remember(this.#keyCache, key, found);
    }
    return { id: found.id, environment: found.environment };
  }

  listApiKeys(environment?: string): ApiKeyInfo[] {
    const columns = 'id, environment, created_at, revoked_at';
    const rows = (
      environment === undefined
        ? this.#sql(`SELECT ${columns} FROM api_keys ORDER BY rowid`).all()
        : this.#sql(`SELECT ${columns} FROM api_keys WHERE environment = ? ORDER BY rowid`).all(environment)
    ) as ApiKeyRow[];
    return rows.map((r) => ({
      id: r.id,
      environment: r.environment,
      created_at: r.created_at,
      revoked: r.revoked_at !== null,
      revoked_at: r.revoked_at,
    }));
  }

  revokeApiKey(id: string, environment?: string): boolean {
    const now = new Date().toISOString();
    this.#keyCache.clear();
    const result =
      environment === undefined
        ? this.#sql('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id)
        : this.#sql(
            'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND environment = ? AND revoked_at IS NULL',
          ).run(now, id, environment);
    return result.changes > 0;
  }

  countApiKeys(options: { includeRevoked?: boolean } = {}): number {
    const sql = options.includeRevoked
      ? 'SELECT count(*) FROM api_keys'
      : 'SELECT count(*) FROM api_keys WHERE revoked_at IS NULL';
    return this.#sql(sql).pluck().get() as number;
  }

  addAccount(input: NewAccount): AccountSummary {
    const db = this.#live();
    const integration = checkName(input.integration, 'integration');
    const environment = checkName(input.environment ?? DEFAULT_ENVIRONMENT, 'environment');
    const context = toJsonObjectText(input.context, 'context');
    const credentialsText = toJsonObjectText(input.credentials, 'credentials');
    const id = randomUUID();
    const now = new Date().toISOString();
    const plaintext = Buffer.from(credentialsText, 'utf8');
    try {
      const sealed = seal(this.#key, plaintext, accountAad(id, environment, integration));
      db.transaction(() => {
        this.#sql(`INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
          id,
          integration,
          environment,
          context,
          sealed,
          now,
          now,
        );
      }).immediate();
    } finally {
      plaintext.fill(0);
    }
    return { id, integration, environment, context: JSON.parse(context) as JsonObject, created_at: now, updated_at: now };
  }

  getAccount(id: string, environment: string): AccountWithSecrets | undefined {
    if (typeof id !== 'string') return undefined;
    this.#fresh();
    // Only well-formed ids are ever cached, so the pattern is checked on a miss alone.
    let cached = this.#accountCache.get(id);
    if (!cached) {
      if (!UUID_PATTERN.test(id)) return undefined;
      const row = this.#sql(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ? AND environment = ?`).get(
        id,
        environment,
      ) as AccountRow | undefined;
      if (!row) return undefined;
      cached = {
        id: row.id,
        integration: row.integration,
        environment: row.environment,
        context: deepFreeze(JSON.parse(row.context) as JsonObject),
        created_at: row.created_at,
        updated_at: row.updated_at,
        credentials: new Secret(this.#openCredentialsText(row)),
      };
      remember(this.#accountCache, id, cached);
    } else if (cached.environment !== environment) {
      // What the query above answers for an account of another environment.
      return undefined;
    }
    return {
      id: cached.id,
      integration: cached.integration,
      environment: cached.environment,
      context: cached.context,
      created_at: cached.created_at,
      updated_at: cached.updated_at,
      credentials: new Secret(parseCredentials(cached.credentials.reveal(), cached.id)),
    };
  }

  /** The decrypted credentials' JSON text, checked to parse. */
  #openCredentialsText(row: AccountRow): string {
    const text = this.#openCredentials(row);
    parseCredentials(text, row.id);
    return text;
  }

  #openCredentials(row: AccountRow): string {
    let plaintext: Buffer;
    try {
      plaintext = open(this.#key, row.credentials, accountAad(row.id, row.environment, row.integration));
    } catch (err) {
      if (!(err instanceof SealError)) throw err;
      throw new StoreError(
        'DECRYPT_FAILED',
        `credentials for account ${row.id} cannot be decrypted: wrong ${SECRET_KEY_ENV}? ` +
          `(or the row was modified outside unimap)`,
      );
    }
    try {
      return plaintext.toString('utf8');
    } finally {
      plaintext.fill(0);
    }
  }

  listAccounts(environment?: string): AccountSummary[] {
    const rows = (
      environment === undefined
        ? this.#sql(`SELECT ${SUMMARY_COLUMNS} FROM accounts ORDER BY rowid`).all()
        : this.#sql(`SELECT ${SUMMARY_COLUMNS} FROM accounts WHERE environment = ? ORDER BY rowid`).all(environment)
    ) as AccountRow[];
    return rows.map(summary);
  }

  updateAccount(id: string, environment: string, changes: AccountChanges): AccountSummary | undefined {
    const db = this.#live();
    if (typeof id !== 'string' || !UUID_PATTERN.test(id)) return undefined;
    const context = changes.context === undefined ? undefined : toJsonObjectText(changes.context, 'context');
    const credentialsText =
      changes.credentials === undefined ? undefined : toJsonObjectText(changes.credentials, 'credentials');
    this.#accountCache.clear();
    return db
      .transaction((): AccountSummary | undefined => {
        const row = this.#sql(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ? AND environment = ?`).get(
          id,
          environment,
        ) as AccountRow | undefined;
        if (!row) return undefined;
        const next: AccountRow = { ...row, updated_at: new Date().toISOString() };
        if (context !== undefined) next.context = context;
        if (credentialsText !== undefined) {
          const plaintext = Buffer.from(credentialsText, 'utf8');
          try {
            next.credentials = seal(this.#key, plaintext, accountAad(row.id, row.environment, row.integration));
          } finally {
            plaintext.fill(0);
          }
        }
        this.#sql('UPDATE accounts SET context = ?, credentials = ?, updated_at = ? WHERE id = ?').run(
          next.context,
          next.credentials,
          next.updated_at,
          id,
        );
        return summary(next);
      })
      .immediate();
  }

  removeAccount(id: string, environment?: string): boolean {
    this.#accountCache.clear();
    const result =
      environment === undefined
        ? this.#sql('DELETE FROM accounts WHERE id = ?').run(id)
        : this.#sql('DELETE FROM accounts WHERE id = ? AND environment = ?').run(id, environment);
    return result.changes > 0;
  }

  close(): void {
    this.#forget();
    if (this.#db.open) this.#db.close();
  }
}
