/**
 * The read-only `shared` folder (reference docs, Okta recordings and OpenAPI)
 * sits beside the checkout in the lead's workspace and in CI, but not in a
 * user's clone. Suites that need it skip with a visible notice instead of
 * failing or silently passing.
 */

import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** test/support → repo root is two levels up. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function locate(): string | undefined {
  const fromEnv = process.env.UNIMAP_SHARED_DIR;
  // An explicit setting wins even when wrong: falling back would hide the misconfiguration.
  const candidate = fromEnv ? resolve(fromEnv) : resolve(repoRoot, '..', 'shared');
  try {
    return statSync(candidate).isDirectory() ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** Absolute path of the shared folder, or undefined when it is absent. */
export const sharedDir: string | undefined = locate();

/** Path of a file inside the shared folder; throws when the folder is absent. */
export function sharedPath(...parts: string[]): string {
  if (!sharedDir) {
    throw new Error('[unimap] the shared folder was not found (set UNIMAP_SHARED_DIR or place it at ../shared)');
  }
  return join(sharedDir, ...parts);
}

/** Whether the shared folder exists and holds `parts` (a file or folder). */
export function hasShared(...parts: string[]): boolean {
  return sharedDir !== undefined && existsSync(join(sharedDir, ...parts));
}

const warned = new Set<string>();

/**
 * `describe` when the shared folder (and every path in `requires`) exists,
 * otherwise `describe.skip` plus one console warning per suite name, so a
 * skipped conformance suite is noticed rather than mistaken for a pass.
 */
export function describeWithShared(name: string, fn: () => void, options: { requires?: string[][] } = {}): void {
  const missing = sharedDir === undefined ? ['../shared'] : (options.requires ?? []).filter((p) => !hasShared(...p)).map((p) => join(...p));
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  if (!warned.has(name)) {
    warned.add(name);
    const fromEnv = process.env.UNIMAP_SHARED_DIR;
    const what =
      sharedDir !== undefined
        ? `shared file(s) missing: ${missing.join(', ')}`
        : fromEnv
          ? `UNIMAP_SHARED_DIR=${fromEnv} not found`
          : '../shared not found';
    console.warn(`[unimap] ${what}: skipping ${name}`);
  }
  describe.skip(name, fn);
}
