/**
 * Where the credentials encryption key comes from.
 *
 * Precedence: an explicit value (option) > `UNIMAP_SECRET_KEY` > `<dataDir>/secret.key`, which is
 * generated on first start when nothing else is configured. A key is 32 bytes written as base64
 * (standard or url alphabet, padding optional) or as 64 hex characters.
 *
 * Nothing here ever puts a key's characters in an error: a pasted key is most likely a real one.
 */

import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KEY_BYTES } from './crypto.js';
import { StoreError } from './errors.js';

export const SECRET_KEY_ENV = 'UNIMAP_SECRET_KEY';
export const KEY_FILENAME = 'secret.key';

/** How the key in use was obtained; `generated` means this call created the key file. */
export type SecretKeySource = 'option' | 'env' | 'file' | 'generated' | 'ephemeral';

export interface LoadedSecretKey {
  key: KeyObject;
  source: SecretKeySource;
  /** The key file's path when the key came from (or was written to) one. */
  file?: string;
}

export interface LoadSecretKeyOptions {
  dataDir: string;
  /** Explicit key text; wins over the environment and the key file. */
  secretKey?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether a missing key file may be created. The store passes false once the database holds
   * encrypted data: a fresh key could never open it, so stopping is the only useful answer.
   */
  mayGenerate: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/;
const HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Decode key text into a KeyObject. `origin` names where the text came from for the error message
 * (an env var name, a file path); the text itself is never echoed, only its length.
 */
export function parseSecretKey(text: string, origin: string): KeyObject {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (HEX.test(value)) bytes = Buffer.from(value, 'hex');
  else if (BASE64.test(value)) bytes = Buffer.from(value, 'base64');
  else if (BASE64URL.test(value)) bytes = Buffer.from(value, 'base64url');
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    throw new StoreError(
      'INVALID_SECRET_KEY',
      `${origin} is not a valid secret key: expected ${KEY_BYTES} bytes encoded as base64 ` +
        `(44 characters, or 43 without padding) or as 64 hex characters, got ${value.length} ` +
        `characters. Generate one with: openssl rand -base64 32`,
    );
  }
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return key;
}

/** A fresh random key as text in the canonical (base64) form that the key file uses. */
export function generateSecretKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** Resolve the key by precedence; may create `<dataDir>/secret.key` (mode 0600). */
export function loadSecretKey(options: LoadSecretKeyOptions): LoadedSecretKey {
  if (options.secretKey !== undefined) {
    return { key: parseSecretKey(options.secretKey, 'the secretKey option'), source: 'option' };
  }
  const fromEnv = (options.env ?? process.env)[SECRET_KEY_ENV];
  // An empty value is how `FOO=` in env files and compose spells "unset"; treat it so.
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { key: parseSecretKey(fromEnv, SECRET_KEY_ENV), source: 'env' };
  }
  const file = path.join(options.dataDir, KEY_FILENAME);
  const existing = readKeyFile(file);
  if (existing) return { key: existing, source: 'file', file };
  if (!options.mayGenerate) {
    throw new StoreError(
      'SECRET_KEY_MISSING',
      `no secret key: ${SECRET_KEY_ENV} is not set and ${file} does not exist, but the database in ` +
        `${options.dataDir} already holds encrypted credentials. Set ${SECRET_KEY_ENV} or restore ` +
        `the key file; a new key could not decrypt them.`,
    );
  }
  return { key: createKeyFile(file), source: 'generated', file };
}

function readKeyFile(file: string): KeyObject | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!stat.isFile()) {
    throw new StoreError('INVALID_SECRET_KEY', `${file} is not a regular file`);
  }
  // Windows has no POSIX mode bits worth checking. Elsewhere, refuse rather than chmod: a
  // readable key may already have been copied, and the operator should know that.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new StoreError(
      'KEY_FILE_INSECURE',
      `refusing to use ${file}: it is readable or writable by group/others (mode ${mode}). ` +
        `Check who may have read it, then run: chmod 600 ${file}`,
    );
  }
  return parseSecretKey(fs.readFileSync(file, 'utf8'), file);
}

function createKeyFile(file: string): KeyObject {
  const text = generateSecretKeyText();
  // Write a private temp file, then hard-link it into place: the link is atomic and fails if the
  // name exists, so two processes starting together never see a half-written file and never
  // overwrite each other's key. The loser adopts the winner's key.
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${text}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = readKeyFile(file);
    if (winner) return winner;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return parseSecretKey(text, file);
}
