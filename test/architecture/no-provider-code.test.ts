import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Names of every provider the project integrates, read from integrations/, plus well-known ones. */
function providerNames(): string[] {
  const integrations = readdirSync(path.join(root, 'integrations')).filter((n) => statSync(path.join(root, 'integrations', n)).isDirectory());
  return [...new Set([...integrations, 'okta', 'microsoft', 'msgraph', 'entra', 'google', 'keycloak', 'scim', 'ssws', 'github'])];
}

describe('engine/ holds no provider-specific code', () => {
  it('no file under engine/ names a provider', () => {
    const names = providerNames();
    const pattern = new RegExp(`\\b(${names.join('|')})`, 'i');
    const offenders = filesUnder(path.join(root, 'engine'))
      .map((file) => {
        const lines = readFileSync(file, 'utf8').split('\n');
        const hit = lines.findIndex((l) => pattern.test(l));
        return hit >= 0 ? `${path.relative(root, file)}:${hit + 1}: ${lines[hit].trim()}` : undefined;
      })
      .filter(Boolean);
    expect(offenders).toEqual([]);
  });

  it('the check itself catches a provider name', () => {
    const pattern = new RegExp(`\\b(${providerNames().join('|')})`, 'i');
    expect(pattern.test("if (integration === 'okta')")).toBe(true);
    expect(pattern.test('Authorization: SSWS token')).toBe(true);
  });
});

describe('every definition file declares its schema for editors', () => {
  const yamlFiles = filesUnder(path.join(root, 'integrations')).filter((f) => /\.ya?ml$/.test(f));
  it.each(yamlFiles.map((f) => path.relative(root, f)))('%s starts with a yaml-language-server modeline that resolves', (rel) => {
    const first = readFileSync(path.join(root, rel), 'utf8').split('\n')[0];
    const match = first.match(/^# yaml-language-server: \$schema=(\S+)$/);
    expect(match, `first line of ${rel} must be "# yaml-language-server: $schema=<relative path>"`).not.toBeNull();
    const target = path.resolve(path.dirname(path.join(root, rel)), match![1]);
    expect(statSync(target).isFile()).toBe(true);
  });
});
