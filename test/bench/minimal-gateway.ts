/**
 * The floor the server is measured against: a hand-written gateway doing the same remote call as
 * users.get (node:http in, an undici Pool out, the user mapping by hand, the same response shape
 * with remote_data), and nothing else: no API keys, no accounts, no validation, no logging.
 *
 * What it shares with the unified server, so the comparison is like for like: node:http with the
 * server's own timeout and keep-alive settings (httpServerOptions of the default limits), the
 * engine's pool settings for the remote side (128 keep-alive connections per origin, no
 * pipelining, 10 s idle), the same JSON body, and a string body with content-length.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { resolveLimits } from '../../engine/server/limits.js';
import { httpServerOptions } from '../../engine/server/server.js';
import { mapUser } from './okta-samples.js';

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

export async function startMinimalGateway(oktaOrigin: string, token: string): Promise<Gateway> {
  const pool = new Pool(oktaOrigin, { connections: 128, pipelining: 1, keepAliveTimeout: 10_000 });
  const server: Server = createServer(httpServerOptions(resolveLimits()), async (req, res) => {
    const id = /^\/users\/([^/?]+)/.exec(req.url ?? '')?.[1];
    if (!id) {
      res.writeHead(404).end();
      return;
    }
    try {
      const remote = await pool.request({
        method: 'GET',
        path: `/api/v1/users/${encodeURIComponent(decodeURIComponent(id))}`,
        headers: { authorization: `SSWS ${token}`, accept: 'application/json' },
      });
      const body = (await remote.body.json()) as Record<string, unknown>;
      if (remote.statusCode !== 200) {
        res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 502, remote_status: remote.statusCode }));
        return;
      }
      const payload = JSON.stringify({ ...mapUser(body), remote_data: body });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) }).end(payload);
    } catch (err) {
      res.writeHead(502).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}
