/**
 * The fake Okta in a process of its own (started by server.ts), so the servers under test do not
 * share their event loop with it. Reports its address and some user ids, then serves until killed.
 */
import { startFakeOkta } from '../fakes/okta/index.js';

const TOKEN = process.argv[2] ?? 'bench-okta-token';
const okta = await startFakeOkta({ tokens: [TOKEN], seed: 'empty', rateLimit: { limit: 100_000_000, windowSeconds: 60 } });
const userIds = Array.from({ length: 50 }, (_, i) =>
  okta.state.addUser({
    profile: { login: `bench${i}@example.com`, email: `bench${i}@example.com`, firstName: 'Bench', lastName: String(i) },
    status: 'ACTIVE',
  }).id,
);
// The fake records every request; a long run would otherwise grow it without bound.
setInterval(() => okta.requests.splice(0), 1_000).unref();
process.send?.({ origin: okta.origin, host: okta.host, token: TOKEN, userIds });
process.on('disconnect', () => void okta.close().then(() => process.exit(0)));
