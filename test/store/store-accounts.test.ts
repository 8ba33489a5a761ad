import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { format, inspect } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILENAME, Secret, StoreError, openStore, type Store } from '../../engine/store/index.js';
import { contains, rawBytes, tempDir } from './helpers.js';

const SECRET = 'tok_9f8e7d6c5b4a-very-secret';
const CONTEXT_MARKER = 'acme-context-marker';

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

function openOnDisk(): { store: Store; dataDir: string; file: string } {
  const dataDir = tempDir();
  return { store: openStore({ dataDir, env: {} }), dataDir, file: path.join(dataDir, DATABASE_FILENAME) };
}

/** Every way a value commonly ends up in a log line or a response body. */
function renderings(value: unknown): string[] {
  return [
    JSON.stringify(value),
    inspect(value, { depth: null }),
    inspect(value, { depth: null, showHidden: true }),
    inspect(value, { depth: null, showHidden: true, customInspect: false }),
    format('%s %o %O %j', value, value, value, value),
    String(value),
  ];
}

describe('accounts', () => {
  it('adds, gets, lists, updates and removes', () => {
    const store = openStore({ inMemory: true });
    const added = store.addAccount({
      integration: 'crm',
      context: { subdomain: 'acme', nested: { list: [1, 'two', null, true] } },
      credentials: { token: SECRET, skipped: undefined },
    });
    expect(added.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(added).toEqual({
      id: added.id,
      integration: 'crm',
      environment: 'default',
      context: { subdomain: 'acme', nested: { list: [1, 'two', null, true] } },
      created_at: expect.any(String),
      updated_at: added.created_at,
    });
    expect(Object.keys(added)).not.toContain('credentials');

    const got = store.getAccount(added.id, 'default')!;
    expect(got.credentials).toBeInstanceOf(Secret);
    expect(got.credentials.reveal()).toEqual({ token: SECRET });
    const { credentials: _c, ...rest } = got;
    expect(rest).toEqual(added);
    expect(store.listAccounts()).toEqual([added]);

    const updated = store.updateAccount(added.id, 'default', { credentials: { token: 'rotated' } })!;
    expect(updated.context).toEqual(added.context);
    expect(updated.updated_at >= added.updated_at).toBe(true);
    expect(store.getAccount(added.id, 'default')!.credentials.reveal()).toEqual({ token: 'rotated' });
    store.updateAccount(added.id, 'default', { context: { subdomain: 'other' } });
    const after = store.getAccount(added.id, 'default')!;
    expect(after.context).toEqual({ subdomain: 'other' });
    expect(after.credentials.reveal()).toEqual({ token: 'rotated' });
    expect(store.updateAccount(added.id, 'prod', { context: {} })).toBeUndefined();

    expect(store.removeAccount(added.id)).toBe(true);
    expect(store.removeAccount(added.id)).toBe(false);
    expect(store.getAccount(added.id, 'default')).toBeUndefined();
    store.close();
  });

  it('keeps environments apart', () => {
    const store = openStore({ inMemory: true });
    const prod = store.addAccount({ integration: 'crm', environment: 'prod', context: {}, credentials: { t: 'p' } });
    const dev = store.addAccount({ integration: 'crm', context: {}, credentials: { t: 'd' } });
    expect(store.getAccount(prod.id, 'default')).toBeUndefined();
    expect(store.getAccount(prod.id, 'prod')?.credentials.reveal()).toEqual({ t: 'p' });
    expect(store.listAccounts('default').map((a) => a.id)).toEqual([dev.id]);
    expect(store.listAccounts('prod').map((a) => a.id)).toEqual([prod.id]);
    expect(store.listAccounts().map((a) => a.id).sort()).toEqual([prod.id, dev.id].sort());
    expect(store.updateAccount(prod.id, 'default', { credentials: { t: 'x' } })).toBeUndefined();
    expect(store.removeAccount(prod.id, 'default')).toBe(false);
    expect(store.getAccount(prod.id, 'prod')?.credentials.reveal()).toEqual({ t: 'p' });
    // Unknown and malformed ids look the same as another environment's id.
    expect(store.getAccount('not-a-uuid', 'prod')).toBeUndefined();
    expect(store.getAccount(crypto.randomUUID(), 'prod')).toBeUndefined();
    store.close();
  });

  it('accepts only plain JSON objects and never quotes credential values in the error', () => {
    const store = openStore({ inMemory: true });
    const cyclic: Record<string, unknown> = { token: SECRET };
    cyclic.self = cyclic;
    const bad: [object, RegExp][] = [
      [[SECRET], /credentials must be a plain JSON object/],
      [{ token: SECRET, n: 10n }, /credentials\.n must be a JSON value, got bigint/],
      [{ token: SECRET, when: new Date() }, /credentials\.when must be a JSON value, got an instance of Date/],
      [{ token: SECRET, f: () => SECRET }, /credentials\.f must be a JSON value, got function/],
      [{ token: SECRET, n: Number.NaN }, /credentials\.n must be a JSON value, got a non-finite number/],
      [{ token: SECRET, list: [SECRET, undefined] }, /credentials\.list\[1\] must be a JSON value, got undefined/],
      [cyclic, /credentials\.self must be a JSON value, got a circular reference/],
      [new Map([['token', SECRET]]), /credentials must be a JSON value, got an instance of Map/],
    ];
    for (const [credentials, message] of bad) {
      const err = storeError(() => store.addAccount({ integration: 'crm', context: {}, credentials }));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(SECRET);
    }
    expect(() => store.addAccount({ integration: 'crm', context: null as unknown as object, credentials: {} })).toThrow(
      /context must be a plain JSON object/,
    );
    expect(() => store.addAccount({ integration: 'no spaces', context: {}, credentials: {} })).toThrow(
      /integration must be/,
    );
    expect(store.listAccounts()).toEqual([]);
    store.close();
  });

  it('stores credentials encrypted: the secret is absent from the database and WAL files', () => {
    const { store, dataDir } = openOnDisk();
    const { id } = store.addAccount({ integration: 'crm', context: { marker: CONTEXT_MARKER }, credentials: { token: SECRET } });
    store.updateAccount(id, 'default', { credentials: { token: SECRET, refresh: `${SECRET}-refresh` } });

    const live = rawBytes(dataDir, DATABASE_FILENAME);
    expect(contains(live, CONTEXT_MARKER)).toBe(true); // the non-secret context is findable...
    expect(contains(live, SECRET)).toBe(false); // ...the secret is not
    store.close();
    const closed = rawBytes(dataDir, DATABASE_FILENAME);
    expect(contains(closed, CONTEXT_MARKER)).toBe(true);
    expect(contains(closed, SECRET)).toBe(false);
  });

  it('binds ciphertexts to their row: swapped or moved credentials do not decrypt', () => {
    const { store, file } = openOnDisk();
    const a = store.addAccount({ integration: 'crm', context: {}, credentials: { token: 'aaa' } });
    const b = store.addAccount({ integration: 'crm', context: {}, credentials: { token: 'bbb' } });
    const c = store.addAccount({ integration: 'crm', environment: 'prod', context: {}, credentials: { token: 'ccc' } });

    const db = new Database(file);
    const blob = (id: string) => db.prepare('SELECT credentials FROM accounts WHERE id = ?').pluck().get(id);
    const [blobA, blobB] = [blob(a.id), blob(b.id)];
    db.prepare('UPDATE accounts SET credentials = ? WHERE id = ?').run(blobB, a.id);
    db.prepare('UPDATE accounts SET credentials = ? WHERE id = ?').run(blobA, b.id);
    db.prepare("UPDATE accounts SET environment = 'default' WHERE id = ?").run(c.id);
    db.close();

    for (const id of [a.id, b.id, c.id]) {
      const err = storeError(() => store.getAccount(id, 'default'));
      expect(err.code).toBe('DECRYPT_FAILED');
      expect(err.message).toContain(`credentials for account ${id} cannot be decrypted: wrong UNIMAP_SECRET_KEY?`);
    }
    // Listing never decrypts, so one bad row does not take the list down.
    expect(store.listAccounts()).toHaveLength(3);
    store.close();
  });

  it('reports a wrong key per account even if the open-time check was bypassed', () => {
    const { store, dataDir, file } = openOnDisk();
    const { id } = store.addAccount({ integration: 'crm', context: {}, credentials: { token: SECRET } });
    store.close();
    // Simulate a database whose key check is missing, so only the per-row check stands guard.
    const db = new Database(file);
    db.prepare("DELETE FROM meta WHERE name = 'key_check'").run();
    db.close();

    const wrong = openStore({ dataDir, env: { UNIMAP_SECRET_KEY: randomBytes(32).toString('base64') } });
    const err = storeError(() => wrong.getAccount(id, 'default'));
    expect(err.message).toBe(
      `credentials for account ${id} cannot be decrypted: wrong UNIMAP_SECRET_KEY? (or the row was modified outside unimap)`,
    );
    wrong.close();
  });

  it('adds atomically: a failure inside the transaction leaves no row', () => {
    const { store, file } = openOnDisk();
    const db = new Database(file);
    db.exec(`CREATE TRIGGER fail_insert AFTER INSERT ON accounts BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);

    let error: unknown;
    try {
      store.addAccount({ integration: 'crm', context: {}, credentials: { token: SECRET } });
    } catch (err) {
      error = err;
    }
    expect(String(error)).toContain('simulated crash');
    expect(String(error)).not.toContain(SECRET);
    expect(store.listAccounts()).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);

    db.exec('DROP TRIGGER fail_insert');
    db.close();
    expect(store.addAccount({ integration: 'crm', context: {}, credentials: { token: SECRET } }).id).toBeTruthy();
    expect(store.listAccounts()).toHaveLength(1);
    store.close();
  });

  it('updates atomically: a failed update keeps the old credentials', () => {
    const { store, file } = openOnDisk();
    const { id } = store.addAccount({ integration: 'crm', context: { v: 1 }, credentials: { token: 'old' } });
    const db = new Database(file);
    db.exec(`CREATE TRIGGER fail_update AFTER UPDATE ON accounts BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    expect(() => store.updateAccount(id, 'default', { context: { v: 2 }, credentials: { token: 'new' } })).toThrow(
      /simulated crash/,
    );
    db.close();
    const got = store.getAccount(id, 'default')!;
    expect(got.context).toEqual({ v: 1 });
    expect(got.credentials.reveal()).toEqual({ token: 'old' });
    store.close();
  });

  it('never prints credentials through logging or serialisation', () => {
    const { store } = openOnDisk();
    const added = store.addAccount({ integration: 'crm', context: {}, credentials: { token: SECRET } });
    const got = store.getAccount(added.id, 'default')!;
    const values: unknown[] = [got, { ...got }, [got], got.credentials, added, store.listAccounts(), store];
    for (const value of values) {
      for (const text of renderings(value)) expect(text).not.toContain(SECRET);
    }
    expect(JSON.stringify(got)).toContain('"credentials":"[redacted]"');
    expect(`${got.credentials}`).toBe('[redacted]');
    expect(JSON.parse(JSON.stringify(store))).toEqual({ dataDir: store.dataDir, secretKeySource: 'generated' });
    store.close();
  });
});
