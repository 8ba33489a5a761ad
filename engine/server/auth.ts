import type { ApiKeyIdentity, Store } from '../store/index.js';
import { UnifiedError } from '../errors.js';

export type KeyVerifier = Pick<Store, 'verifyApiKey'>;

const REALM = 'Bearer realm="unimap"';

/**
 * `Authorization: Bearer <api key>` → the key's identity (its environment decides which accounts
 * the caller sees). The same 401 answers a missing, malformed, unknown or revoked key, so the
 * answer says nothing about which keys exist; only the RFC 6750 `error` hint differs.
 */
export function authenticate(header: string | undefined, keys: KeyVerifier): ApiKeyIdentity {
  const match = header ? /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header) : null;
  if (!match) {
    throw new UnifiedError('unauthorized', 'Authenticate with an API key: Authorization: Bearer <key>', {
      headers: { 'www-authenticate': REALM },
    });
  }
  const identity = keys.verifyApiKey(match[1]);
  if (!identity) {
    throw new UnifiedError('unauthorized', 'The API key is not valid', {
      headers: { 'www-authenticate': `${REALM}, error="invalid_token"` },
    });
  }
  return identity;
}
