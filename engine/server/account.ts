import type { Account } from '../runtime/engine.js';
import type { Store } from '../store/index.js';
import { StoreError } from '../store/index.js';
import { UnifiedError } from '../errors.js';

export type AccountSource = Pick<Store, 'getAccount'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The account a call acts for, from `integrated_account_id`. An account of another environment
 * gets exactly the answer an unknown id gets: a key must not learn what exists outside its own
 * environment.
 */
export function resolveAccount(query: Record<string, unknown>, environment: string, accounts: AccountSource): Account & { id: string } {
  const raw = query.integrated_account_id;
  if (raw === undefined || raw === '') {
    throw new UnifiedError('invalid_request', 'integrated_account_id is required', {
      details: [{ path: 'query.integrated_account_id', message: 'is required' }],
    });
  }
  if (typeof raw !== 'string' || !UUID.test(raw)) {
    throw new UnifiedError('invalid_request', 'integrated_account_id must be a UUID', {
      details: [{ path: 'query.integrated_account_id', message: 'must be a UUID' }],
    });
  }
  let found;
  try {
    found = accounts.getAccount(raw.toLowerCase(), environment);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'DECRYPT_FAILED') {
      // The operator's problem (wrong key, edited database), not the caller's; the log has the detail.
      throw new UnifiedError('internal', 'The integrated account cannot be used: its credentials cannot be decrypted on this server', { cause: err });
    }
    throw err;
  }
  if (!found) throw new UnifiedError('not_found', 'No integrated account with this id is available to this API key');
  return { id: found.id, integration: found.integration, context: found.context, credentials: found.credentials.reveal() };
}
