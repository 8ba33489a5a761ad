import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

/** A fresh directory under the OS temp dir, removed after the current test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unimap-store-test-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file in `dir` whose name starts with `prefix`, concatenated: the db plus -wal and -shm. */
export function rawBytes(dir: string, prefix: string): Buffer {
  const parts = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => fs.readFileSync(path.join(dir, name)));
  return Buffer.concat(parts);
}

/** Assert-friendly: does `needle` occur anywhere in `haystack`, as UTF-8 bytes? */
export function contains(haystack: Buffer, needle: string): boolean {
  return haystack.includes(Buffer.from(needle, 'utf8'));
}

export const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;
