import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UnifiedMethod } from '../definition/loaded.js';
import { UnifiedError } from '../errors.js';
import type { CallCancel } from '../runtime/deadline.js';
import type { Engine } from '../runtime/engine.js';
import { resolveAccount, type AccountSource } from './account.js';
import { authenticate, type KeyVerifier } from './auth.js';
import { hasBody, readJsonBody } from './body.js';
import type { ServerLimits } from './limits.js';
import { parseQueryString } from './query.js';
import type { AccessRecord } from './request-log.js';
import { sendJson } from './respond.js';

export interface CallContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  record: AccessRecord;
  /** Aborted when the client goes away or the server gives up on the call at shutdown. */
  signal: CallCancel;
}

export interface CallDeps {
  engine: Engine;
  store: KeyVerifier & AccountSource;
  limits: ServerLimits;
}

/**
 * One unified call over HTTP: who is calling (API key → environment), for which account, with
 * which query and body; then the engine does the rest. The checks run cheapest first, and the
 * body is read last, so a refused request never costs its upload.
 */
export async function handleUnifiedCall(ctx: CallContext, unified: UnifiedMethod, params: Record<string, string>, search: string, deps: CallDeps): Promise<void> {
  const { req, res, record } = ctx;
  const identity = authenticate(req.headers.authorization, deps.store);
  record.environment = identity.environment;

  const query = parseQueryString(search);
  for (const name in params) {
    const value = params[name];
    if (Object.hasOwn(query, name)) {
      throw new UnifiedError('invalid_request', `${name} is given both in the path and in the query string`, {
        details: [{ path: `query.${name}`, message: 'is already set by the path' }],
      });
    }
    query[name] = value;
  }

  const account = resolveAccount(query, identity.environment, deps.store);
  record.account_id = account.id;
  record.integration = account.integration;

  // Most calls (every GET) have no body: no reader, no promise, no tick.
  const body = hasBody(req)
    ? await readJsonBody(req, {
        maxBytes: deps.limits.maxBodyBytes,
        timeoutMs: deps.limits.bodyTimeoutMs,
        beforeRead: () => {
          if (/^100-continue$/i.test(req.headers.expect ?? '')) res.writeContinue();
        },
      })
    : undefined;

  const result = await deps.engine.execute({
    account,
    model: unified.model,
    resource: unified.resource,
    method: unified.method,
    query,
    body,
    signal: ctx.signal,
    timeoutMs: deps.limits.callTimeoutMs,
    requestId: ctx.requestId,
  });
  sendJson(ctx, result.status, result.body, result.headers);
}
