/**
 * Database schema and its forward-only migrations.
 *
 * Each migration runs once, in its own IMMEDIATE transaction, and records its version in
 * `schema_version`; a half-applied migration therefore never persists. Never edit a released
 * migration: append a new one. A database whose version is newer than the last migration here was
 * written by a newer unimap and is refused rather than guessed at.
 */

import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';

interface Migration {
  version: number;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      -- Small named values the store itself needs, e.g. the key check.
      CREATE TABLE meta (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;

      -- API keys are stored only as SHA-256 of the full key; id is its short non-secret prefix.
      CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,
        key_hash    BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
        environment TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      ) STRICT;
      CREATE INDEX api_keys_environment ON api_keys (environment);

      -- credentials is a sealed blob (see crypto.ts); context is plain JSON.
      CREATE TABLE accounts (
        id          TEXT PRIMARY KEY,
        integration TEXT NOT NULL,
        environment TEXT NOT NULL,
        context     TEXT NOT NULL CHECK (json_valid(context)),
        credentials BLOB NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX accounts_environment ON accounts (environment);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

function currentVersion(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/** Bring `db` up to SCHEMA_VERSION. Safe to run concurrently from several processes. */
export function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const found = currentVersion(db);
  if (found > SCHEMA_VERSION) {
    throw new StoreError(
      'SCHEMA_TOO_NEW',
      `database schema version ${found} is newer than this unimap understands (${SCHEMA_VERSION}); ` +
        `upgrade unimap, or restore a backup made before the upgrade`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= found) continue;
    db.transaction(() => {
      // Re-read under the write lock: another process may have applied it since we looked.
      if (currentVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
        migration.version,
        new Date().toISOString(),
      );
    }).immediate();
  }
}
