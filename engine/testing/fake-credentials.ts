import type { AuthScheme } from '../definition/types.js';

/**
 * Credentials a fixture gets when it names none: `test-<field>` for each field the integration's
 * first auth scheme reads, so expected auth headers are predictable and no real secret is needed.
 */
export function fakeCredentials(auth: readonly AuthScheme[]): Record<string, string> {
  const scheme = auth[0];
  if (!scheme) return {};
  switch (scheme.type) {
    case 'header':
    case 'bearer':
      return { [scheme.credential]: `test-${scheme.credential}` };
    case 'basic':
      return { [scheme.username]: `test-${scheme.username}`, [scheme.password]: `test-${scheme.password}` };
    case 'none':
      return {};
  }
}
