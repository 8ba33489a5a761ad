import type { AuthScheme } from '../definition/types.js';
import { UnifiedError } from '../errors.js';
import { lowerCaseHeaderName } from './header-name.js';

export interface AppliedAuth {
  headers: Record<string, string>;
  /** Header names whose values are secrets: masked in explain output and never logged. */
  secretHeaders: string[];
}

/** The first scheme whose credential fields are all present wins. Credentials never reach mappings. */
export function applyAuth(schemes: readonly AuthScheme[], credentials: Record<string, unknown>): AppliedAuth {
  for (const scheme of schemes) {
    switch (scheme.type) {
      case 'none':
        return { headers: {}, secretHeaders: [] };
      case 'header': {
        const value = secretValue(credentials[scheme.credential]);
        if (value !== undefined) {
          const name = lowerCaseHeaderName(scheme.header);
          return { headers: { [name]: `${scheme.prefix ?? ''}${value}` }, secretHeaders: [name] };
        }
        break;
      }
      case 'bearer': {
        const value = secretValue(credentials[scheme.credential]);
        if (value !== undefined) return { headers: { authorization: `Bearer ${value}` }, secretHeaders: ['authorization'] };
        break;
      }
      case 'basic': {
        const user = secretValue(credentials[scheme.username]);
        const pass = secretValue(credentials[scheme.password]);
        if (user !== undefined && pass !== undefined) {
          return { headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` }, secretHeaders: ['authorization'] };
        }
        break;
      }
    }
  }
  throw new UnifiedError('unauthorized', 'The integrated account has no usable credentials for this integration', { status: 422 });
}

function secretValue(v: unknown): string | undefined {
  // CR/LF in a credential would split the header; treat it as absent rather than send it.
  return typeof v === 'string' && v.length > 0 && !/[\r\n\0]/.test(v) ? v : undefined;
}
