/**
 * The store's public contract: API keys (who may call) and accounts (what they may call with).
 *
 * Everything returned here is safe to log or serialise except the result of an explicit
 * `credentials.reveal()`: credentials only ever leave the store inside a `Secret`.
 */

import type { SecretKeySource } from './secret-key.js';
import type { Secret } from './secret.js';

export const DEFAULT_ENVIRONMENT = 'default';

/** A JSON object as stored: what `context` and revealed `credentials` look like on the way out. */
export type JsonObject = Record<string, unknown>;

export interface ApiKeyCreated {
  /** The full key, `umk_` + 43 base64url chars. Returned only here; the store keeps a hash. */
  key: string;
  /** Short non-secret handle (the key's first 12 characters) for listing and revoking. */
  id: string;
  environment: string;
}

export interface ApiKeyIdentity {
  id: string;
  environment: string;
}

export interface ApiKeyInfo {
  id: string;
  environment: string;
  created_at: string;
  revoked: boolean;
  revoked_at: string | null;
}

export interface AccountSummary {
  /** UUID v4. */
  id: string;
  integration: string;
  environment: string;
  context: JsonObject;
  /** ISO 8601, UTC. */
  created_at: string;
  updated_at: string;
}

/** An account with its decrypted credentials, for the runtime that calls the provider. */
export interface AccountWithSecrets extends AccountSummary {
  /**
   * Deep-frozen and shared by every read of the same stored version of the account: the engine
   * then recognises it and skips checking it again. Copy it to change it.
   */
  readonly context: JsonObject;
  /** Prints and serialises as `[redacted]`; `credentials.reveal()` yields the object. */
  credentials: Secret<JsonObject>;
}

export interface NewAccount {
  /** Integration name; letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
  integration: string;
  /** Defaults to `default`. */
  environment?: string;
  /** Non-secret settings (subdomain, tenant id...). Must be a plain JSON object. */
  context: object;
  /** Secret settings (tokens, client secrets...). Must be a plain JSON object; encrypted at rest. */
  credentials: object;
}

/** Replacement values; an omitted field is left as it is. Objects are replaced, not merged. */
export interface AccountChanges {
  context?: object;
  credentials?: object;
}

export interface Store {
  /** Absolute data directory; undefined for an in-memory store. */
  readonly dataDir: string | undefined;
  /** Where the encryption key came from; `generated` means a new key file was just written. */
  readonly secretKeySource: SecretKeySource;

  /** Mint a key for `environment` (default `default`). The returned `key` is never shown again. */
  createApiKey(environment?: string): ApiKeyCreated;
  /** The identity of an active key, or undefined for unknown, revoked or malformed input. */
  verifyApiKey(key: string): ApiKeyIdentity | undefined;
  /** Keys of one environment, or of all when omitted; oldest first; includes revoked keys. */
  listApiKeys(environment?: string): ApiKeyInfo[];
  /** True if an active key with this id (in `environment`, when given) is now revoked. */
  revokeApiKey(id: string, environment?: string): boolean;
  /** Active keys; with `includeRevoked`, every key ever created. */
  countApiKeys(options?: { includeRevoked?: boolean }): number;

  /** Insert atomically. Throws StoreError `INVALID_INPUT` for non-JSON context/credentials. */
  addAccount(input: NewAccount): AccountSummary;
  /**
   * The account if it exists in `environment`, else undefined, whether it does not exist or
   * belongs to another environment. Throws StoreError `DECRYPT_FAILED` if its credentials do
   * not authenticate.
   */
  getAccount(id: string, environment: string): AccountWithSecrets | undefined;
  /** Accounts of one environment, or of all when omitted (admin/CLI use); oldest first. */
  listAccounts(environment?: string): AccountSummary[];
  /** Replace context and/or credentials (e.g. after a token refresh); undefined if not found. */
  updateAccount(id: string, environment: string, changes: AccountChanges): AccountSummary | undefined;
  /** True if a row was deleted; with `environment`, only an account of that environment. */
  removeAccount(id: string, environment?: string): boolean;

  /** Close the database; idempotent. Other methods then throw StoreError `CLOSED`. */
  close(): void;
}

export interface OpenStoreOptions {
  /** Default: `UNIMAP_DATA_DIR`, else `./.unimap`. Created (mode 0700) if missing. */
  dataDir?: string;
  /** Key text (base64 or hex of 32 bytes). Default: `UNIMAP_SECRET_KEY`, else the key file. */
  secretKey?: string;
  /** Where to read `UNIMAP_DATA_DIR` / `UNIMAP_SECRET_KEY`; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Keep everything in memory (tests, demos): no data dir, no key file, and a random key
   * unless `secretKey` is given.
   */
  inMemory?: boolean;
}
