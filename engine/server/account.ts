import type { Account } from '../runtime/engine.js';
import type { Store } from '../store/index.js';
import { StoreError } from '../store/index.js';
import { UnifiedError } from '../errors.js';

export type AccountSource = Pick<Store, 'getAccount'>;

/**
 * How `value` reads as a UUID (8-4-4-4-12 hex digits): not at all, in lower case, or with capitals.
 * A loop rather than a case-insensitive pattern: this runs on every request, and answers in one
 * pass whether the id needs lower-casing too.
 */
function uuidForm(value: string): 'invalid' | 'lower' | 'mixed' {
  if (value.length !== 36) return 'invalid';
  let mixed = false;
  for (let i = 0; i < 36; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return 'invalid';
    } else if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    else if (c >= 65 && c <= 70) mixed = true;
    else return 'invalid';
  }
  return mixed ? 'mixed' : 'lower';
}

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
  const form = typeof raw === 'string' ? uuidForm(raw) : 'invalid';
  if (form === 'invalid') {
    throw new UnifiedError('invalid_request', 'integrated_account_id must be a UUID', {
      details: [{ path: 'query.integrated_account_id', message: 'must be a UUID' }],
    });
  }
  let found;
  try {
    found = accounts.getAccount(form === 'lower' ? (raw as string) : (raw as string).toLowerCase(), environment);
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
