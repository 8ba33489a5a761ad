import type { LoadedIntegration } from '../definition/loaded.js';
import { reasonPhrase, UnifiedError, type UnifiedErrorKind } from '../errors.js';
import type { Expression } from '../expression/types.js';
import type { RemoteResponse } from './transport.js';

const KIND_BY_STATUS: Record<number, UnifiedErrorKind> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'invalid_request',
  409: 'conflict',
  412: 'conflict',
  422: 'invalid_request',
  429: 'rate_limited',
};

/**
 * A remote failure becomes a unified error that keeps the remote status and body: 4xx keep their
 * status, anything else is a 502 (the remote side failed, not the caller). The integration's
 * `errors` rules pick the kind and message; an expression that fails here never hides the remote error.
 */
export async function mapRemoteError(integration: LoadedIntegration, res: RemoteResponse, stepName: string, rateLimited: boolean, headers?: Record<string, string>): Promise<UnifiedError> {
  const input = res.body;
  const bindings = { status: res.status, headers: res.headers };
  const safe = async (expr: Expression | undefined) => {
    if (!expr) return undefined;
    try {
      return await expr.evaluate(structuredClone(input), bindings);
    } catch {
      return undefined;
    }
  };

  let kind: UnifiedErrorKind | undefined;
  let status: number | undefined;
  let message: unknown;
  for (const rule of integration.errorRules) {
    if (await safe(rule.when)) {
      kind = rule.kind;
      status = rule.status;
      message = await safe(rule.message);
      break;
    }
  }
  if (rateLimited) {
    kind = 'rate_limited';
    status ??= 429;
  }
  const remoteStatus = res.status;
  const is4xx = remoteStatus >= 400 && remoteStatus < 500;
  kind ??= is4xx ? (KIND_BY_STATUS[remoteStatus] ?? 'invalid_request') : 'remote_error';
  status ??= is4xx ? remoteStatus : 502;
  message ??= await safe(integration.errorMessage);
  const code = await safe(integration.errorCode);
  const text = typeof message === 'string' && message.trim() ? message.trim() : `${reasonPhrase(remoteStatus)} (remote status ${remoteStatus})`;
  return new UnifiedError(kind, `${integration.spec.label} (${stepName}) failed: ${text}`, {
    status,
    remote: { status: remoteStatus, body: res.body ?? null, code: typeof code === 'string' ? code : undefined },
    headers,
  });
}
