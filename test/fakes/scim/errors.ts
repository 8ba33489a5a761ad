/**
 * SCIM error responses, RFC 7644 §3.12 ([V] RFC7644 per provider-apis.md §5.1):
 *
 *   {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],
 *    "detail":"Resource 2819c223-7f76-453a-919d-413861904646 not found","status":"404"}
 *
 * `status` is the HTTP status code as a STRING. `scimType` is only sent with 400 (and 409 `uniqueness`)
 * and is one of the §3.12 Table 9 keywords ([I] list from the RFC, consistent with the libraries seen).
 */

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  scimType?: ScimType;
  detail: string;
  status: string;
}

export class ScimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status}${scimType ? ` ${scimType}` : ''}: ${detail}`);
    this.name = 'ScimHttpError';
  }

  body(): ScimErrorBody {
    return errorBody(this.status, this.detail, this.scimType);
  }
}

/** Key order as in the RFC's examples: schemas, scimType, detail, status. */
export function errorBody(status: number, detail: string, scimType?: ScimType): ScimErrorBody {
  return { schemas: [ERROR_SCHEMA], ...(scimType ? { scimType } : {}), detail, status: String(status) };
}

export const scimErrors = {
  /** §3.12: "404 … Specified resource (e.g., User) or endpoint does not exist". */
  notFound: (id: string) => new ScimHttpError(404, `Resource ${id} not found`),
  pathNotFound: (path: string) => new ScimHttpError(404, `Endpoint ${path} does not exist`),
  unauthorized: () =>
    new ScimHttpError(401, 'Authorization failure. The authorization header is invalid or missing.', undefined, {
      // RFC 6750 §3 for bearer; RFC 7617 for basic. [I]: which schemes a server advertises is its choice.
      'WWW-Authenticate': 'Bearer realm="scim", Basic realm="scim"',
    }),
  methodNotAllowed: (allow: string[]) =>
    new ScimHttpError(405, 'The endpoint does not support the request operation', undefined, { Allow: allow.join(', ') }),
  notAcceptable: () => new ScimHttpError(406, 'Only application/scim+json and application/json responses are available'),
  unsupportedMediaType: (type: string | undefined) =>
    new ScimHttpError(415, `Request bodies must be application/scim+json or application/json, got ${type ?? 'none'}`),
  preconditionFailed: () => new ScimHttpError(412, 'Failed to update. Resource changed on the server.'),
  /** §3.3: duplicate creation is 409 with scimType `uniqueness`. */
  uniqueness: (what: string) => new ScimHttpError(409, `${what} is already in use`, 'uniqueness'),
  invalidSyntax: (detail: string) => new ScimHttpError(400, detail, 'invalidSyntax'),
  invalidFilter: (detail: string) => new ScimHttpError(400, `The specified filter syntax is invalid or the attribute and comparison combination is not supported: ${detail}`, 'invalidFilter'),
  invalidPath: (path: string) => new ScimHttpError(400, `The path attribute "${path}" is invalid or malformed`, 'invalidPath'),
  /** §3.5.2.2: a remove without "path" fails with 400 `noTarget`. */
  noTarget: (detail: string) => new ScimHttpError(400, detail, 'noTarget'),
  invalidValue: (detail: string) => new ScimHttpError(400, detail, 'invalidValue'),
  mutability: (attr: string) => new ScimHttpError(400, `Attribute ${attr} is readOnly or immutable`, 'mutability'),
  tooMany: (max: number) => new ScimHttpError(400, `The query returns more than ${max} results`, 'tooMany'),
  /** Not defined by RFC 7644; what servers that limit rates send [I]. */
  tooManyRequests: () => new ScimHttpError(429, 'Too many requests'),
  internal: () => new ScimHttpError(500, 'An internal error occurred'),
};
