import * as google from '../fakes/google/index.js';
import * as keycloak from '../fakes/keycloak/index.js';
import * as msgraph from '../fakes/msgraph/index.js';
import * as okta from '../fakes/okta/index.js';
import * as scim from '../fakes/scim/index.js';

/**
 * Every credential the test suites hand to integrations and fakes. A run's whole output (console,
 * errors, diffs) is scanned for them: a secret that shows up anywhere is a leak, whatever test printed it.
 */
export const TEST_SECRETS: readonly string[] = [
  okta.DEFAULT_API_TOKEN,
  okta.DEFAULT_ACCESS_TOKEN,
  msgraph.DEFAULT_ACCESS_TOKEN,
  google.DEFAULT_ACCESS_TOKEN,
  keycloak.DEFAULT_ACCESS_TOKEN,
  scim.DEFAULT_SCIM_TOKEN,
  'tok-SECRET-123',
  'load-test-okta-token',
];

/** API keys minted during tests have this shape; none may be printed. */
export const API_KEY_PATTERN = /umk_[A-Za-z0-9_-]{43}/;
