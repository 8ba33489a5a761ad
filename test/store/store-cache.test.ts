/**
 * The store remembers verified API keys and decrypted accounts (a server asks for the same ones on
 * every request). What it remembers must never outlive the database: a change through the same
 * store, through a second connection, or from another process (the CLI) shows on the very next read.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILENAME, StoreError, openStore, type Store } from '../../engine/store/index.js';
import { repoRoot } from '../support/paths.js';
import { tempDir } from './helpers.js';

function twoConnections(): { a: Store; b: Store; dataDir: string; close: () => void } {
  const dataDir = tempDir();
  const a = openStore({ dataDir, env: {} });
  const b = openStore({ dataDir, env: {} });
  return { a, b, dataDir, close: () => (a.close(), b.close()) };
}

describe('store cache', () => {
  it('a key revoked through another connection fails on the next verify', () => {
    const { a, b, close } = twoConnections();
    const created = a.createApiKey();
    const other = a.createApiKey();
    expect(a.verifyApiKey(created.key)).toEqual({ id: created.id, environment: 'default' });
    expect(a.verifyApiKey(created.key)).toEqual({ id: created.id, environment: 'default' }); // now remembered
    expect(b.revokeApiKey(created.id)).toBe(true);
    expect(a.verifyApiKey(created.key)).toBeUndefined();
    expect(a.verifyApiKey(other.key)).toEqual({ id: other.id, environment: 'default' });
    close();
  });

  it('a key revoked through the same store fails on the next verify', () => {
    const store = openStore({ inMemory: true });
    const created = store.createApiKey('prod');
    expect(store.verifyApiKey(created.key)?.environment).toBe('prod');
    expect(store.revokeApiKey(created.id)).toBe(true);
    expect(store.verifyApiKey(created.key)).toBeUndefined();
    store.close();
  });

  it('sees raw SQL from any other connection: revocation, a key moved to another environment', () => {
    const { a, dataDir, close } = twoConnections();
    const created = a.createApiKey();
    expect(a.verifyApiKey(created.key)?.environment).toBe('default');
    const db = new Database(path.join(dataDir, DATABASE_FILENAME));
    db.prepare("UPDATE api_keys SET environment = 'prod' WHERE id = ?").run(created.id);
    expect(a.verifyApiKey(created.key)?.environment).toBe('prod');
    db.prepare("UPDATE api_keys SET revoked_at = '2026-01-01T00:00:00Z' WHERE id = ?").run(created.id);
    expect(a.verifyApiKey(created.key)).toBeUndefined();
    db.close();
    close();
  });

  it('an account removed or changed through another connection is seen on the next read', () => {
    const { a, b, close } = twoConnections();
    const added = a.addAccount({ integration: 'crm', context: { v: 1 }, credentials: { token: 'one' } });
    expect(a.getAccount(added.id, 'default')?.credentials.reveal()).toEqual({ token: 'one' });

    b.updateAccount(added.id, 'default', { context: { v: 2 }, credentials: { token: 'two' } });
    const updated = a.getAccount(added.id, 'default')!;
    expect(updated.context).toEqual({ v: 2 });
    expect(updated.credentials.reveal()).toEqual({ token: 'two' });

    expect(b.removeAccount(added.id)).toBe(true);
    expect(a.getAccount(added.id, 'default')).toBeUndefined();
    close();
  });

  it('an account changed or removed through the same store is seen on the next read', () => {
    const store = openStore({ inMemory: true });
    const added = store.addAccount({ integration: 'crm', context: {}, credentials: { token: 'one' } });
    expect(store.getAccount(added.id, 'default')?.credentials.reveal()).toEqual({ token: 'one' });
    store.updateAccount(added.id, 'default', { credentials: { token: 'two' } });
    expect(store.getAccount(added.id, 'default')?.credentials.reveal()).toEqual({ token: 'two' });
    store.removeAccount(added.id, 'default');
    expect(store.getAccount(added.id, 'default')).toBeUndefined();
    store.close();
  });

  it('keeps environments apart when the account is remembered', () => {
    const store = openStore({ inMemory: true });
    const prod = store.addAccount({ integration: 'crm', environment: 'prod', context: {}, credentials: { t: 'p' } });
    expect(store.getAccount(prod.id, 'prod')?.credentials.reveal()).toEqual({ t: 'p' });
    expect(store.getAccount(prod.id, 'default')).toBeUndefined();
    expect(store.getAccount(prod.id, 'prod')?.environment).toBe('prod');
    store.close();
  });

  it('a row tampered with through another connection fails to decrypt on the next read', () => {
    const { a, dataDir, close } = twoConnections();
    const x = a.addAccount({ integration: 'crm', context: {}, credentials: { token: 'xxx' } });
    const y = a.addAccount({ integration: 'crm', context: {}, credentials: { token: 'yyy' } });
    expect(a.getAccount(x.id, 'default')?.credentials.reveal()).toEqual({ token: 'xxx' });
    const db = new Database(path.join(dataDir, DATABASE_FILENAME));
    const blob = db.prepare('SELECT credentials FROM accounts WHERE id = ?').pluck().get(y.id);
    db.prepare('UPDATE accounts SET credentials = ? WHERE id = ?').run(blob, x.id);
    db.close();
    let error: unknown;
    try {
      a.getAccount(x.id, 'default');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('DECRYPT_FAILED');
    close();
  });

  it('no read can change what the next read gets: fresh credentials and key objects, a frozen context', () => {
    const store = openStore({ inMemory: true });
    const added = store.addAccount({ integration: 'crm', context: { region: 'eu', nested: { list: [1] } }, credentials: { token: 'one' } });
    const first = store.getAccount(added.id, 'default')!;
    // The context is shared between reads, so it is deep-frozen: writing to it throws (strict mode).
    expect(() => {
      (first.context as Record<string, unknown>).region = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      ((first.context.nested as Record<string, unknown>).list as unknown[]).push(2);
    }).toThrow(TypeError);
    (first.credentials.reveal() as Record<string, unknown>).token = 'changed';
    const key = store.createApiKey();
    (store.verifyApiKey(key.key) as { environment: string }).environment = 'changed';

    const second = store.getAccount(added.id, 'default')!;
    expect(second.context).toEqual({ region: 'eu', nested: { list: [1] } });
    expect(second.credentials.reveal()).not.toBe(first.credentials.reveal());
    expect(second.credentials.reveal()).toEqual({ token: 'one' });
    expect(store.verifyApiKey(key.key)?.environment).toBe('default');
    store.close();
  });

  it('stays correct past its size bound', () => {
    const store = openStore({ inMemory: true });
    const keys = Array.from({ length: 1_100 }, () => store.createApiKey());
    for (const k of keys) expect(store.verifyApiKey(k.key)?.id).toBe(k.id);
    for (const k of keys.slice(0, 50)) expect(store.verifyApiKey(k.key)?.id).toBe(k.id);
    store.revokeApiKey(keys[0].id);
    expect(store.verifyApiKey(keys[0].key)).toBeUndefined();
    store.close();
  });

  it('still refuses every read once closed', () => {
    const store = openStore({ inMemory: true });
    const key = store.createApiKey();
    const added = store.addAccount({ integration: 'crm', context: {}, credentials: { token: 't' } });
    store.verifyApiKey(key.key);
    store.getAccount(added.id, 'default');
    store.close();
    expect(() => store.verifyApiKey(key.key)).toThrow(/closed/);
    expect(() => store.getAccount(added.id, 'default')).toThrow(/closed/);
  });

  it('sees `unimap keys revoke` and `unimap accounts remove` run in another process', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir, env: {} });
    const created = store.createApiKey();
    const added = store.addAccount({ integration: 'crm', context: {}, credentials: { token: 't' } });
    expect(store.verifyApiKey(created.key)?.id).toBe(created.id);
    expect(store.getAccount(added.id, 'default')).toBeDefined();

    const cli = (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, UNIMAP_DATA_DIR: dataDir };
      delete env.UNIMAP_SECRET_KEY;
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'engine/cli/main.ts'), ...args], {
        cwd: repoRoot,
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status, run.stderr).toBe(0);
    };
    cli('keys', 'revoke', created.id);
    expect(store.verifyApiKey(created.key)).toBeUndefined();
    cli('accounts', 'remove', added.id);
    expect(store.getAccount(added.id, 'default')).toBeUndefined();
    store.close();
  }, 60_000);
});
