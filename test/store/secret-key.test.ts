import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../engine/store/errors.js';
import { KEY_FILENAME, loadSecretKey, parseSecretKey } from '../../engine/store/secret-key.js';
import { modeOf, tempDir } from './helpers.js';

const posix = process.platform !== 'win32';
const bytes = randomBytes(32);
const exported = (k: ReturnType<typeof parseSecretKey>) => k.export().toString('hex');

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('parseSecretKey', () => {
  it('accepts 32 bytes as base64 (padded or not), base64url and hex', () => {
    const forms = [
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=$/, ''),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      `  ${bytes.toString('base64')}\n`,
    ];
    for (const form of forms) expect(exported(parseSecretKey(form, 'X'))).toBe(bytes.toString('hex'));
  });

  it('rejects anything else without echoing the value', () => {
    const bad = [
      'correct-horse-battery-staple-passphrase',
      randomBytes(16).toString('base64'),
      randomBytes(48).toString('base64'),
      randomBytes(31).toString('hex') + 'zz',
      bytes.toString('hex').slice(0, 63),
      `${bytes.toString('base64').slice(0, 40)}!!!=`,
      '',
    ];
    for (const value of bad) {
      const err = storeError(() => parseSecretKey(value, 'UNIMAP_SECRET_KEY'));
      expect(err.code).toBe('INVALID_SECRET_KEY');
      expect(err.message).toMatch(/^UNIMAP_SECRET_KEY is not a valid secret key: expected 32 bytes/);
      // No fragment of the value, not just the whole of it.
      for (let i = 0; i + 6 <= value.length; i++) expect(err.message).not.toContain(value.slice(i, i + 6));
    }
  });
});

describe('loadSecretKey', () => {
  it('prefers the option, then the env var, then the key file', () => {
    const dataDir = tempDir();
    const fileKey = randomBytes(32);
    fs.writeFileSync(path.join(dataDir, KEY_FILENAME), fileKey.toString('base64'), { mode: 0o600 });
    const envKey = randomBytes(32).toString('hex');
    const optKey = randomBytes(32).toString('base64');
    const env = { UNIMAP_SECRET_KEY: envKey };

    const a = loadSecretKey({ dataDir, secretKey: optKey, env, mayGenerate: true });
    expect([a.source, exported(a.key)]).toEqual(['option', Buffer.from(optKey, 'base64').toString('hex')]);
    const b = loadSecretKey({ dataDir, env, mayGenerate: true });
    expect([b.source, exported(b.key)]).toEqual(['env', envKey]);
    const c = loadSecretKey({ dataDir, env: {}, mayGenerate: true });
    expect([c.source, exported(c.key)]).toEqual(['file', fileKey.toString('hex')]);
  });

  it('treats an empty UNIMAP_SECRET_KEY as unset', () => {
    const dataDir = tempDir();
    expect(loadSecretKey({ dataDir, env: { UNIMAP_SECRET_KEY: ' ' }, mayGenerate: true }).source).toBe('generated');
  });

  it('generates a 0600 key file on first use and reuses it', () => {
    const dataDir = tempDir();
    const first = loadSecretKey({ dataDir, env: {}, mayGenerate: true });
    const file = path.join(dataDir, KEY_FILENAME);
    expect(first.source).toBe('generated');
    expect(first.file).toBe(file);
    if (posix) expect(modeOf(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILENAME]); // no temp file left behind

    const second = loadSecretKey({ dataDir, env: {}, mayGenerate: true });
    expect(second.source).toBe('file');
    expect(exported(second.key)).toBe(exported(first.key));
  });

  it.runIf(posix)('refuses a key file that group or others can read, without fixing it', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, KEY_FILENAME);
    const text = randomBytes(32).toString('base64');
    fs.writeFileSync(file, text);
    fs.chmodSync(file, 0o640);
    const err = storeError(() => loadSecretKey({ dataDir, env: {}, mayGenerate: true }));
    expect(err.code).toBe('KEY_FILE_INSECURE');
    expect(err.message).toContain('mode 0640');
    expect(err.message).toContain(`chmod 600 ${file}`);
    expect(err.message).not.toContain(text);
    expect(modeOf(file)).toBe(0o640);
  });

  it('names a corrupt key file without quoting it', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, KEY_FILENAME);
    fs.writeFileSync(file, 'not-a-key-but-maybe-a-password', { mode: 0o600 });
    const err = storeError(() => loadSecretKey({ dataDir, env: {}, mayGenerate: true }));
    expect(err.code).toBe('INVALID_SECRET_KEY');
    expect(err.message).toContain(file);
    expect(err.message).not.toContain('maybe-a-password');
  });

  it('does not invent a key when told the database already needs one', () => {
    const dataDir = tempDir();
    const err = storeError(() => loadSecretKey({ dataDir, env: {}, mayGenerate: false }));
    expect(err.code).toBe('SECRET_KEY_MISSING');
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
