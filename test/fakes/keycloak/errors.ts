/**
 * Keycloak's error bodies. Citations: "[V] KCUR" = provider-apis.md §4 citing UserResource.joinGroup;
 * "[I]" = not in the shared reference, taken from Keycloak's source (KeycloakErrorHandler, GroupsResource,
 * GroupResource, ErrorResponse) or from published measurements of a running Keycloak 26.
 *
 * Two shapes exist side by side:
 * - KeycloakErrorHandler turns a thrown WebApplicationException into `{"error": "<message>"}` (newer
 *   versions add `error_description` for JSON parse failures, duplicates and 5xx) [V] KCUR §4;
 * - ErrorResponse.error/exists (validation, duplicate names) writes an ErrorRepresentation,
 *   `{"errorMessage": "<message>"}` [I].
 */

export type KeycloakErrorBody = { error: string; error_description?: string } | { errorMessage: string };

/** Thrown by route handlers; the server turns it into the error response. */
export class KeycloakHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: KeycloakErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${JSON.stringify(body)}`);
    this.name = 'KeycloakHttpError';
  }
}

const handler = (status: number, error: string, description?: string) =>
  new KeycloakHttpError(status, description === undefined ? { error } : { error, error_description: description });
const response = (status: number, errorMessage: string) => new KeycloakHttpError(status, { errorMessage });

export const keycloakErrors = {
  /** No bearer token, or one the server does not accept [I] (measured: both are this exact body). */
  unauthorized: () => handler(401, 'HTTP 401 Unauthorized'),
  /** The token lacks the realm-management role the operation needs [I] (measured). */
  forbidden: () => handler(403, 'HTTP 403 Forbidden'),
  /** Unknown path, a wrong method, or a `first`/`max` that is not an integer (JAX-RS param conversion) [I] (measured). */
  notFound: () => handler(404, 'HTTP 404 Not Found'),
  /** RealmsAdminResource.getRealmAdmin: `NotFoundException("Realm not found.")`, full stop included [I] (measured). */
  realmNotFound: () => handler(404, 'Realm not found.'),
  /** joinGroup / removeMembership: `NotFoundException("Group not found")` → 404 {"error":"Group not found"} [V] KCUR. */
  groupNotFound: () => handler(404, 'Group not found'),
  /** GroupsResource.getGroupById, the locator of every /groups/{id} route [I] (Keycloak source). */
  groupByIdNotFound: () => handler(404, 'Could not find group by id'),
  /** GroupsResource.addTopLevelGroup with an `id` that does not exist [I] (Keycloak source). */
  childNotFound: () => handler(404, 'Could not find child by id'),
  /** UsersResource.user, the locator of every /users/{id} route: "User not found" ("similar" [V] KCUR §4). */
  userNotFound: () => handler(404, 'User not found'),
  /** A body Jackson cannot read: malformed, empty, wrong types or unknown properties [I] (measured). */
  unparseable: () => handler(400, 'unknown_error', 'Cannot parse the JSON'),
  /** A JSON endpoint called with another Content-Type [I] (JAX-RS @Consumes; the message is the exception's). */
  unsupportedMediaType: () => handler(415, 'HTTP 415 Unsupported Media Type'),
  /** ErrorResponse.error("Group name is missing", BAD_REQUEST) on create and update [I] (Keycloak source). */
  groupNameMissing: () => response(400, 'Group name is missing'),
  /** GroupResource.updateGroup when the body's id is another group's [I] (Keycloak source). */
  invalidGroupId: () => response(400, 'Invalid group id'),
  /** ErrorResponse.exists(...) on create [I] (Keycloak source). */
  topLevelExists: (name: string) => response(409, `Top level group named '${name}' already exists.`),
  /** ErrorResponse.exists(...) on rename [I] (Keycloak source). */
  siblingExists: (name: string) => response(409, `Sibling group named '${name}' already exists.`),
  /** Anything unexpected: KeycloakErrorHandler's 5xx form [I]. */
  internal: () => handler(500, 'unknown_error', 'For more on this error consult the server log.'),
} as const;
