/**
 * Deterministic look-alikes of Okta's identifiers. Every id is derived from a
 * per-kind counter, so two fakes given the same request sequence hand out the
 * same ids, and a test failure reproduces exactly.
 */

import { pseudoRandom } from '../shared/ids.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URL_SAFE = `${ALNUM}-_`;

/**
 * Every recorded id from one org ends in the same three characters (`…0h7` in
 * okta-sdk-test-server's recordings, `…0g4` in the spec examples): a cell tag,
 * not randomness. Keeping one fixed suffix makes fake ids look like one org's.
 */
const ORG_SUFFIX = '0h7';

type Kind = 'group' | 'user' | 'error' | 'request';

const SALT: Record<Kind, number> = { group: 0x67, user: 0x75, error: 0x65, request: 0x72 };

export class IdFactory {
  private readonly counters: Record<Kind, number> = { group: 0, user: 0, error: 0, request: 0 };

  private draw(kind: Kind): number {
    this.counters[kind] += 1;
    return (SALT[kind] << 20) ^ (this.counters[kind] * 2654435761);
  }

  /** 20 characters, `00g` prefix, as in every recorded group id. */
  groupId(): string {
    return `00g${pseudoRandom(this.draw('group'), 14, ALNUM)}${ORG_SUFFIX}`;
  }

  /** 20 characters, `00u` prefix, as in every recorded user id. */
  userId(): string {
    return `00u${pseudoRandom(this.draw('user'), 14, ALNUM)}${ORG_SUFFIX}`;
  }

  /** 25 characters with the `oae` prefix, like recorded `errorId`s (`oaeex-9hCabTH-OY009lCjaEg`). */
  errorId(): string {
    return `oae${pseudoRandom(this.draw('error'), 22, URL_SAFE)}`;
  }

  /** 27 URL-safe characters, the length of Okta's `X-Okta-Request-Id` values. */
  requestId(): string {
    return pseudoRandom(this.draw('request'), 27, URL_SAFE);
  }
}
