/**
 * One system under test in a process of its own (started by server.ts), so each is measured with
 * its own heap, JIT state and garbage: the minimal gateway, or the unified server with compiled or
 * interpreted mappings. argv: the system's name, then the fake Okta's origin, host and token.
 * Reports where to send requests, then answers `cpu` with its CPU time so far (µs) until the parent
 * disconnects.
 */
import { CompilingExpressionCompiler, JsonataInterpreter } from '../../engine/expression/index.js';
import { createEngine } from '../../engine/index.js';
import { createServer } from '../../engine/server/index.js';
import { openStore } from '../../engine/store/index.js';
import { startMinimalGateway } from './minimal-gateway.js';

export type SystemName = 'gateway' | 'compiled' | 'interpreted';

export interface SystemReady {
  origin: string;
  /** Request paths for these user ids, in the same order. */
  paths: string[];
  headers: Record<string, string>;
}

const [system, oktaOrigin, oktaHost, token, ...userIds] = process.argv.slice(2) as [SystemName, string, string, string, ...string[]];

let ready: SystemReady;
let close: () => Promise<void>;
if (system === 'gateway') {
  const gw = await startMinimalGateway(oktaOrigin, token);
  ready = { origin: gw.url, paths: userIds.map((id) => `/users/${id}`), headers: {} };
  close = () => gw.close();
} else {
  const engine = await createEngine({ only: ['okta'], compiler: system === 'compiled' ? new CompilingExpressionCompiler() : new JsonataInterpreter() });
  const store = openStore({ inMemory: true });
  const key = store.createApiKey('bench').key;
  const account = store.addAccount({ integration: 'okta', environment: 'bench', context: { domain: oktaHost }, credentials: { api_token: token } });
  const server = createServer({ engine, store });
  const address = await server.listen(0, '127.0.0.1');
  ready = {
    origin: address.url,
    paths: userIds.map((id) => `/unified/user-directory/users/${id}?integrated_account_id=${account.id}`),
    headers: { authorization: `Bearer ${key}` },
  };
  close = async () => {
    await server.close();
    await engine.close();
    store.close();
  };
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'cpu') {
    const used = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: used.user + used.system });
  }
});
process.on('disconnect', () => void close().then(() => process.exit(0)));
process.send?.({ type: 'ready', ...ready });
