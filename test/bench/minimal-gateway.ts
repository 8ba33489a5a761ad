/**
 * The floor the server is measured against: a hand-written gateway doing the same remote call as
 * users.get (node:http in, an undici Pool out, the user mapping by hand, the same response shape
 * with remote_data), and nothing else: no API keys, no accounts, no validation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { mapUser } from './okta-samples.js';

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

export async function startMinimalGateway(oktaOrigin: string, token: string): Promise<Gateway> {
  const pool = new Pool(oktaOrigin, { connections: 128, pipelining: 1 });
  const server: Server = createServer(async (req, res) => {
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
  server.keepAliveTimeout = 10_000;
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
