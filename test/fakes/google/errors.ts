/**
 * Google's classic JSON error envelope ([V] provider-apis.md §3, googleapis/google-api-nodejs-client
 * issue #166 as quoted there):
 *
 *   {"error": {"code": 404, "message": "Resource Not Found: groupKey",
 *              "errors": [{"message": "Resource Not Found: groupKey", "domain": "global", "reason": "notFound"}]}}
 *
 * The top-level message repeats the first error's message. Authentication and scope errors of
 * today's front end also carry `"status"` (UNAUTHENTICATED, PERMISSION_DENIED) and a location [I].
 */

export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: GoogleErrorItem[];
    status?: string;
  };
}

/** Thrown by route handlers; the server turns it into an error response. */
export class GoogleHttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly errorMessage: string,
    readonly extra: {
      domain?: string;
      /** The top-level message, when it differs from the item's. */
      topMessage?: string;
      location?: string;
      locationType?: string;
      statusName?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(`${status} ${reason}: ${errorMessage}`);
    this.name = 'GoogleHttpError';
  }

  body(): GoogleErrorBody {
    const item: GoogleErrorItem = { message: this.errorMessage, domain: this.extra.domain ?? 'global', reason: this.reason };
    if (this.extra.location) item.location = this.extra.location;
    if (this.extra.locationType) item.locationType = this.extra.locationType;
    const error: GoogleErrorBody['error'] = { code: this.status, message: this.extra.topMessage ?? this.errorMessage, errors: [item] };
    if (this.extra.statusName) error.status = this.extra.statusName;
    return { error };
  }
}

export type RateLimitReason = 'userRateLimitExceeded' | 'rateLimitExceeded' | 'quotaExceeded';

/** [V] GLIM names the reasons and the 403; the messages are the classic ones [I]. */
const RATE_LIMIT_MESSAGES: Record<RateLimitReason, string> = {
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  rateLimitExceeded: 'Rate Limit Exceeded',
  quotaExceeded: 'Quota Exceeded',
};

export const googleErrors = {
  /** [V] provider-apis.md §3: `Resource Not Found: groupKey` / `memberKey`, reason notFound. `userKey` by analogy [I]. */
  notFound: (key: 'groupKey' | 'memberKey' | 'userKey') => new GoogleHttpError(404, 'notFound', `Resource Not Found: ${key}`),
  /** [V as reported] lithnet/googleapps-managementagent #9, DeviaVir/terraform-provider-gsuite PR #38: 409 duplicate. */
  memberExists: () => new GoogleHttpError(409, 'duplicate', 'Member already exists.'),
  /** [I] groups.insert with an email already taken by a group, user or alias. */
  entityExists: () => new GoogleHttpError(409, 'duplicate', 'Entity already exists.'),
  /** [V as reported] nodejs client #163 (`member`), DeviaVir/terraform-provider-gsuite #77 (`memberKey`); `email` [I]. */
  missingField: (field: string) => new GoogleHttpError(400, 'required', `Missing required field: ${field}`),
  /** [V as reported] `Invalid Input: memberKey` (GAM-team/GAM #674), `Invalid Input: <pageToken>` (GAMADV-XTD3 #244). */
  invalidInput: (what: string) => new GoogleHttpError(400, 'invalid', `Invalid Input: ${what}`),
  /** [I] the standard range message of Google's front end for a query parameter out of bounds. */
  invalidParameter: (name: string, value: string, min: number, max: number) =>
    new GoogleHttpError(400, 'invalidParameter', `Invalid value '${value}'. Values must be within the range: [${min}, ${max}]`, { location: name, locationType: 'parameter' }),
  /** [I] groups.list / users.list without `customer` or `domain`. */
  badRequest: () => new GoogleHttpError(400, 'badRequest', 'Bad Request'),
  /** [I] a body that is not JSON. */
  parseError: () => new GoogleHttpError(400, 'parseError', 'Parse Error'),
  /** [I] a customer or domain the caller does not administer. */
  notAuthorized: () => new GoogleHttpError(403, 'forbidden', 'Not Authorized to access this resource/api'),
  /** [I] today's 401 for a missing token. */
  loginRequired: () =>
    new GoogleHttpError(401, 'required', 'Login Required.', {
      topMessage:
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      location: 'Authorization',
      locationType: 'header',
      statusName: 'UNAUTHENTICATED',
      headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
    }),
  /** [I] today's 401 for an unknown or expired token. */
  invalidCredentials: () =>
    new GoogleHttpError(401, 'authError', 'Invalid Credentials', {
      topMessage:
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      location: 'Authorization',
      locationType: 'header',
      statusName: 'UNAUTHENTICATED',
      headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    }),
  /** [I] a token without the scope the method needs. */
  insufficientScope: (scope: string) =>
    new GoogleHttpError(403, 'insufficientPermissions', 'Insufficient Permission', {
      topMessage: 'Request had insufficient authentication scopes.',
      statusName: 'PERMISSION_DENIED',
      headers: { 'WWW-Authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${scope}"` },
    }),
  /** [V] GLIM: quota is a 403 with a usageLimits reason, not a 429, and no rate headers. */
  rateLimited: (reason: RateLimitReason = 'userRateLimitExceeded') =>
    new GoogleHttpError(403, reason, RATE_LIMIT_MESSAGES[reason], { domain: 'usageLimits' }),
  /** [I] a transient back-end failure (what the fault `googleError` sends by default). */
  backendError: () => new GoogleHttpError(503, 'backendError', 'Service unavailable. Please try again'),
  internal: () => new GoogleHttpError(500, 'internalError', 'Internal error encountered.'),
} as const;
