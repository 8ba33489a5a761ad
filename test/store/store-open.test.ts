import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  DATABASE_FILENAME,
  KEY_FILENAME,
  SCHEMA_VERSION,
  StoreError,
  openStore,
} from '../../engine/store/index.js';
import { modeOf, tempDir } from './helpers.js';

const posix = process.platform !== 'win32';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('openStore', () => {
  it('creates the data dir (0700), a private database and key file on first open', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const store = openStore({ dataDir, env: {} });
    expect(store.dataDir).toBe(dataDir);
    expect(store.secretKeySource).toBe('generated');
    store.close();
    expect(fs.statSync(dataDir).isDirectory()).toBe(true);
    if (posix) {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(path.join(dataDir, DATABASE_FILENAME))).toBe(0o600);
      expect(modeOf(path.join(dataDir, KEY_FILENAME))).toBe(0o600);
    }
  });

  it('reads UNIMAP_DATA_DIR when no dataDir is given', () => {
    const dataDir = path.join(tempDir(), 'from-env');
    openStore({ env: { UNIMAP_DATA_DIR: dataDir } }).close();
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILENAME))).toBe(true);
  });

  it('uses WAL and records the schema version', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir, env: {} });
    const db = new Database(path.join(dataDir, DATABASE_FILENAME), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([SCHEMA_VERSION]);
    db.close();
    store.close();
  });

  it('refuses a database written by a newer version', () => {
    const dataDir = tempDir();
    openStore({ dataDir, env: {} }).close();
    const db = new Database(path.join(dataDir, DATABASE_FILENAME));
    db.prepare('INSERT INTO schema_version VALUES (?, ?)').run(SCHEMA_VERSION + 1, 'later');
    db.close();
    const err = storeError(() => openStore({ dataDir, env: {} }));
    expect(err.code).toBe('SCHEMA_TOO_NEW');
  });

  it('reuses the generated key file on reopen', () => {
    const dataDir = tempDir();
    const first = openStore({ dataDir, env: {} });
    const { id } = first.addAccount({ integration: 'crm', context: {}, credentials: { token: 't-1' } });
    first.close();
    const second = openStore({ dataDir, env: {} });
    expect(second.secretKeySource).toBe('file');
    expect(second.getAccount(id, 'default')?.credentials.reveal()).toEqual({ token: 't-1' });
    second.close();
  });

  it('takes UNIMAP_SECRET_KEY as base64 or hex and then writes no key file', () => {
    const bytes = randomBytes(32);
    const dataDir = tempDir();
    const a = openStore({ dataDir, env: { UNIMAP_SECRET_KEY: bytes.toString('base64') } });
    expect(a.secretKeySource).toBe('env');
    const { id } = a.addAccount({ integration: 'crm', context: {}, credentials: { token: 't-2' } });
    a.close();
    expect(fs.existsSync(path.join(dataDir, KEY_FILENAME))).toBe(false);
    const b = openStore({ dataDir, env: { UNIMAP_SECRET_KEY: bytes.toString('hex') } });
    expect(b.getAccount(id, 'default')?.credentials.reveal()).toEqual({ token: 't-2' });
    b.close();
  });

  it('rejects a malformed UNIMAP_SECRET_KEY without echoing it or writing a key file', () => {
    const dataDir = tempDir();
    const value = 'hunter2-is-my-very-secret-password';
    const err = storeError(() => openStore({ dataDir, env: { UNIMAP_SECRET_KEY: value } }));
    expect(err.code).toBe('INVALID_SECRET_KEY');
    expect(err.message).toContain('UNIMAP_SECRET_KEY');
    expect(err.message).not.toContain('hunter2');
    expect(fs.existsSync(path.join(dataDir, KEY_FILENAME))).toBe(false);
  });

  it('stops at open when the key is not the one the database was written with', () => {
    const dataDir = tempDir();
    openStore({ dataDir, env: {} }).close();
    const wrong = randomBytes(32).toString('base64');
    const err = storeError(() => openStore({ dataDir, env: { UNIMAP_SECRET_KEY: wrong } }));
    expect(err.code).toBe('SECRET_KEY_MISMATCH');
    expect(err.message).toMatch(/UNIMAP_SECRET_KEY is not the key the database .* wrong UNIMAP_SECRET_KEY\?/);
    expect(err.message).not.toContain(wrong);
  });

  it('does not generate a new key when the key file of an existing database is gone', () => {
    const dataDir = tempDir();
    openStore({ dataDir, env: {} }).close();
    fs.rmSync(path.join(dataDir, KEY_FILENAME));
    expect(storeError(() => openStore({ dataDir, env: {} })).code).toBe('SECRET_KEY_MISSING');
    expect(fs.existsSync(path.join(dataDir, KEY_FILENAME))).toBe(false);
  });

  it('survives a process killed mid-transaction with no trace of the account', () => {
    const dataDir = tempDir();
    openStore({ dataDir, env: {} }).close();
    const file = path.join(dataDir, DATABASE_FILENAME);
    // A small page cache makes SQLite spill the uncommitted rows into the WAL before the kill, so
    // recovery really has to discard frames rather than find an untouched file.
    const child = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(file)});
      db.pragma('cache_size = 5');
      db.exec('BEGIN IMMEDIATE');
      const insert = db.prepare("INSERT INTO accounts VALUES (?, 'crm', 'default', ?, x'00', 't', 't')");
      for (let i = 0; i < 20; i++) {
        insert.run('00000000-0000-4000-8000-' + String(i).padStart(12, '0'), JSON.stringify({ pad: 'x'.repeat(50000) }));
      }
      process.kill(process.pid, 'SIGKILL');
    `;
    const result = spawnSync(process.execPath, ['-e', child], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.signal ?? result.stderr).toBe('SIGKILL');
    if (posix) expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);

    const store = openStore({ dataDir, env: {} });
    expect(store.listAccounts()).toEqual([]);
    const added = store.addAccount({ integration: 'crm', context: {}, credentials: { token: 'after' } });
    expect(store.getAccount(added.id, 'default')?.credentials.reveal()).toEqual({ token: 'after' });
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('offers an in-memory store with an ephemeral key', () => {
    const store = openStore({ inMemory: true });
    expect(store.dataDir).toBeUndefined();
    expect(store.secretKeySource).toBe('ephemeral');
    const { id } = store.addAccount({ integration: 'crm', context: {}, credentials: { token: 'm' } });
    expect(store.getAccount(id, 'default')?.credentials.reveal()).toEqual({ token: 'm' });
    store.close();
  });

  it('throws CLOSED after close, and close is idempotent', () => {
    const store = openStore({ inMemory: true });
    store.close();
    store.close();
    expect(storeError(() => store.listAccounts()).code).toBe('CLOSED');
    expect(storeError(() => store.verifyApiKey(`umk_${'A'.repeat(43)}`)).code).toBe('CLOSED');
  });
});
