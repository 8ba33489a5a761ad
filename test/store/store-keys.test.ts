import { createHash } from 'node:crypto';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILENAME, openStore } from '../../engine/store/index.js';
import { contains, rawBytes, tempDir } from './helpers.js';

describe('API keys', () => {
  it('creates keys in the documented format and verifies them to their environment', () => {
    const store = openStore({ inMemory: true });
    const a = store.createApiKey();
    const b = store.createApiKey('staging');
    expect(a.key).toMatch(/^umk_[A-Za-z0-9_-]{43}$/);
    expect(a.id).toBe(a.key.slice(0, 12));
    expect(a.environment).toBe('default');
    expect(store.verifyApiKey(a.key)).toEqual({ id: a.id, environment: 'default' });
    expect(store.verifyApiKey(b.key)).toEqual({ id: b.id, environment: 'staging' });
    store.close();
  });

  it('rejects unknown, altered and malformed keys', () => {
    const store = openStore({ inMemory: true });
    const { key } = store.createApiKey();
    const altered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    for (const candidate of [altered, key.slice(0, -1), `${key} `, '', 'Bearer ' + key, key.toUpperCase()]) {
      expect(store.verifyApiKey(candidate)).toBeUndefined();
    }
    expect(store.verifyApiKey(undefined as unknown as string)).toBeUndefined();
    store.close();
  });

  it('revokes, lists and counts', () => {
    const store = openStore({ inMemory: true });
    const a = store.createApiKey();
    const b = store.createApiKey('prod');
    expect(store.countApiKeys()).toBe(2);

    expect(store.revokeApiKey(b.id, 'default')).toBe(false); // wrong environment
    expect(store.revokeApiKey(a.id)).toBe(true);
    expect(store.revokeApiKey(a.id)).toBe(false); // already revoked
    expect(store.revokeApiKey('umk_nosuchkey')).toBe(false);
    expect(store.verifyApiKey(a.key)).toBeUndefined();
    expect(store.verifyApiKey(b.key)).toBeDefined();

    expect(store.countApiKeys()).toBe(1);
    expect(store.countApiKeys({ includeRevoked: true })).toBe(2);
    const all = store.listApiKeys();
    expect(all.map((k) => [k.id, k.environment, k.revoked])).toEqual([
      [a.id, 'default', true],
      [b.id, 'prod', false],
    ]);
    expect(all[0].revoked_at).toEqual(expect.any(String));
    expect(store.listApiKeys('prod').map((k) => k.id)).toEqual([b.id]);
    expect(JSON.stringify(all)).not.toContain(a.key);
    store.close();
  });

  it('rejects invalid environment names', () => {
    const store = openStore({ inMemory: true });
    for (const env of ['', ' prod', '../x', 'a'.repeat(129), 'x\0y']) {
      expect(() => store.createApiKey(env)).toThrow(/environment must be/);
    }
    store.close();
  });

  it('keeps only a SHA-256 of the key at rest', () => {
    const dataDir = tempDir();
    const store = openStore({ dataDir, env: {} });
    const { key, id } = store.createApiKey();
    const secretPart = key.slice(12);

    const db = new Database(path.join(dataDir, DATABASE_FILENAME), { readonly: true });
    const row = db.prepare('SELECT * FROM api_keys').get() as Record<string, unknown>;
    db.close();
    expect(row.id).toBe(id);
    expect(row.key_hash).toEqual(createHash('sha256').update(key).digest());
    expect(JSON.stringify(row)).not.toContain(secretPart);

    // Before close the row lives in the WAL; after close it is checkpointed into the main file.
    expect(contains(rawBytes(dataDir, DATABASE_FILENAME), id)).toBe(true); // the search works...
    expect(contains(rawBytes(dataDir, DATABASE_FILENAME), secretPart)).toBe(false); // ...and finds no key
    store.close();
    expect(contains(rawBytes(dataDir, DATABASE_FILENAME), secretPart)).toBe(false);
  });
});
