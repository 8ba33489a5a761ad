/**
 * Microsoft Graph error bodies (OData v4), from /work/shared/reference/provider-apis.md §2:
 *   {"error":{"code":"…","message":"…","innerError":{"date":"…","request-id":"…","client-request-id":"…"}}}
 * [V] GR-ERR for the envelope. Each entry below says whether its code and message were read in a
 * source [V] or are the fake's best inference [I].
 */

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

/** Thrown by route handlers; the server turns it into an error response with Graph's headers. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly graphMessage: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}: ${graphMessage}`);
    this.name = 'GraphHttpError';
  }
}

/** `date` is written without fraction or zone, as in the recorded bodies ("2020-07-20T22:51:18"). [V] */
export function errorBody(code: string, message: string, now: number, requestId: string, clientRequestId: string): GraphErrorBody {
  const date = new Date(now).toISOString().slice(0, 19);
  return { error: { code, message, innerError: { date, 'request-id': requestId, 'client-request-id': clientRequestId } } };
}

export const graphErrors = {
  /** [V] GR-ERR (docs issue #9191 / contrib #4847): the message names one id, not always the missing one. */
  notFound: (id: string) =>
    new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  /** [V] GR-ADD status 400 on a duplicate add; message verbatim (ansible-collections/azure #1519). */
  alreadyMember: () =>
    new GraphHttpError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'."),
  /** [I] A path or reference id that is not a GUID (directory object ids are GUIDs). */
  invalidObjectId: (id: string) => new GraphHttpError(400, 'Request_BadRequest', `Invalid object identifier '${id}'.`),
  /** [V] GR-ERR, wrong URL form (a membership write without `$ref`), microsoft-graph-docs-contrib #5532. */
  notContained: () => new GraphHttpError(400, 'BadRequest', 'Write requests are only supported on contained entities'),
  /** [V] GR-ERR: the messages seen on 401 (besscroft/diyfile #1 and others). "Access token is empty." is [I]. */
  emptyToken: () => new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
  invalidToken: () => new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.'),
  expiredToken: () => new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
  /** [I] GR-THR gives the status and Retry-After; the body shape is the reference's "usual form". */
  throttled: (retryAfterSeconds: number) =>
    new GraphHttpError(429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': String(retryAfterSeconds) }),
  /** [I] An OData segment the service does not know. */
  unknownSegment: (segment: string) => new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  /** [I] */
  methodNotAllowed: () => new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  /** [I] A missing or unusable JSON body. */
  emptyPayload: () => new GraphHttpError(400, 'BadRequest', 'Empty Payload. JSON content expected.'),
  invalidJson: () => new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
  /** [I] A required or malformed property on create/update. */
  invalidProperty: (property: string, resource: 'Group' | 'User') =>
    new GraphHttpError(400, 'Request_BadRequest', `Invalid value specified for property '${property}' of resource '${resource}'.`),
  /** [I] A property the type does not declare. */
  unknownProperty: (property: string) =>
    new GraphHttpError(400, 'BadRequest', `Property '${property}' does not exist as a declared property or extension property.`),
  /** [I] $select of a property the type does not have. */
  unknownSelect: (property: string, type: string) =>
    new GraphHttpError(400, 'Request_BadRequest', `Could not find a property named '${property}' on type 'Microsoft.DirectoryServices.${type}'.`),
  /** [I] $top out of range (the maximum of 999 is from microsoft-graph-docs PR #21132). */
  invalidPageSize: (raw: string) =>
    new GraphHttpError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`),
  /** [I] A $skiptoken the service did not issue for this query. */
  invalidSkipToken: () => new GraphHttpError(400, 'Request_BadRequest', 'Invalid skip token.'),
  /** [I] A $filter the fake cannot evaluate (Graph's directory filters are limited too). */
  unsupportedQuery: () => new GraphHttpError(400, 'Request_UnsupportedQuery', 'Unsupported Query.'),
  /** [V] GR-TYPES: a Microsoft 365 group accepts only users as members. Message [I]. */
  unsupportedMemberType: () =>
    new GraphHttpError(400, 'Request_BadRequest', 'Unsupported referenced-object type for the members property: a Microsoft 365 group accepts only users.'),
  /** [I] A reference body without a usable "@odata.id". */
  missingReference: () => new GraphHttpError(400, 'BadRequest', "The request payload must contain an '@odata.id' annotation with the URL of a directory object."),
  /** [I] */
  internal: () => new GraphHttpError(500, 'UnknownError', ''),
} as const;
