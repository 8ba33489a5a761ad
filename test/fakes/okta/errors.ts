/**
 * Okta error bodies. Codes, statuses and summaries come from the shared
 * reference (provider-apis.md §1.7, itself citing Okta's error-code table,
 * the OpenAPI `components.examples` and the recordings); where a summary is
 * a template (`Not found: {0}`) the filled-in form follows the recordings.
 */

export interface OktaErrorCause {
  errorSummary: string;
}

/** `errorCauses` is always present, possibly empty (recorded 404s carry `[]`). */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: OktaErrorCause[];
}

/** Thrown by route handlers; the server turns it into an error response. */
export class OktaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly errorCauses: OktaErrorCause[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${errorCode}: ${errorSummary}`);
    this.name = 'OktaHttpError';
  }
}

export function errorBody(
  errorCode: string,
  errorSummary: string,
  errorId: string,
  errorCauses: OktaErrorCause[] = [],
): OktaErrorBody {
  // OKCORE: errorLink "currently the same value as errorCode".
  return { errorCode, errorSummary, errorLink: errorCode, errorId, errorCauses };
}

export const oktaErrors = {
  /** E0000001 400; the `{0}` of "Api validation failed: {0}" names the field. */
  validation: (field: string, causes: OktaErrorCause[] = []) =>
    new OktaHttpError(400, 'E0000001', `Api validation failed: ${field}`, causes),
  /** E0000003 400: unparseable JSON body. */
  malformedBody: () => new OktaHttpError(400, 'E0000003', 'The request body was not well-formed.'),
  /** E0000006 403: APP_GROUP membership changes, BUILT_IN/APP_GROUP profile changes, missing scope. */
  accessDenied: (headers: Record<string, string> = {}) =>
    new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action', [], headers),
  /** E0000007 404, in the recorded form `Not found: Resource not found: {id} ({Type})`. */
  resourceNotFound: (id: string, type: 'UserGroup' | 'User') =>
    new OktaHttpError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`),
  /** E0000008 404: the error-code table's "The requested path was not found". */
  pathNotFound: () => new OktaHttpError(404, 'E0000008', 'The requested path was not found'),
  /** E0000011 401. */
  invalidToken: () => new OktaHttpError(401, 'E0000011', 'Invalid token provided'),
  /** E0000022 405 (see the routing comment in routes.ts for why 405, not the table's 404). */
  methodNotAllowed: (allow: string) =>
    new OktaHttpError(405, 'E0000022', 'The endpoint does not support the provided HTTP method', [], { Allow: allow }),
  /** E0000029 400: a cursor this fake did not issue for this list. */
  invalidPaging: () => new OktaHttpError(400, 'E0000029', 'Invalid paging request'),
  /** E0000031 400: a `filter`/`search` expression the fake cannot or may not evaluate. */
  invalidFilter: (detail?: string) =>
    new OktaHttpError(400, 'E0000031', 'Invalid filter parameter', detail ? [{ errorSummary: detail }] : []),
  /** E0000047 429; the body is `ErrorTooManyRequests429`'s. */
  rateLimited: () => new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
  /** E0000060: reported for BUILT_IN membership changes; the status was never captured, hence configurable. */
  unsupportedOperation: (status: number) => new OktaHttpError(status, 'E0000060', 'Unsupported operation.'),
  /** E0000009 500. */
  internal: () => new OktaHttpError(500, 'E0000009', 'Internal Server Error'),
} as const;
