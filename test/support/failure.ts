import { expect } from 'vitest';

import { UnifiedError } from '../../engine/index.js';

/** The UnifiedError a call rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<UnifiedError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UnifiedError);
    return err as UnifiedError;
  }
  throw new Error('expected the call to fail');
}
