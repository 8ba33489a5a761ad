/**
 * The embedded default store: API keys, environments and connected accounts in SQLite under the
 * data directory, with credentials encrypted at rest. See types.ts for the contract.
 */

export { openStore, API_KEY_PREFIX, DATABASE_FILENAME, DATA_DIR_ENV, DEFAULT_DATA_DIR } from './sqlite-store.js';
export {
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
export { Secret, REDACTED } from './secret.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { KEY_FILENAME, SECRET_KEY_ENV, parseSecretKey, generateSecretKeyText, type SecretKeySource } from './secret-key.js';
export { SCHEMA_VERSION } from './schema.js';
