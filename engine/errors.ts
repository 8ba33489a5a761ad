/**
 * Every error unimap reports has one of two shapes:
 * - `DefinitionIssue`: something wrong in a YAML definition or fixture, placed at file:line:col;
 * - `UnifiedError`: a failed unified call, carrying the HTTP status the caller sees.
 */

export interface DefinitionIssue {
  /** Stable machine-readable code, e.g. `schema.additionalProperties`, `jsonata.syntax`, `path.unbound-param`. */
  code: string;
  file: string;
  /** 1-based; 0 when the issue concerns the whole file. */
  line: number;
  col: number;
  /** Field path inside the document, e.g. `steps[0].path_params.groupId`; empty for the document itself. */
  path: string;
  message: string;
  /** How to fix it, in one sentence. */
  hint?: string;
  severity?: 'error' | 'warning';
}

export function formatIssue(issue: DefinitionIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  const at = issue.path ? ` (at ${issue.path})` : '';
  const hint = issue.hint ? `\n    hint: ${issue.hint}` : '';
  return `${where} ${issue.code} ${issue.message}${at}${hint}`;
}

/** Thrown when definitions cannot be loaded; holds every issue found, not only the first. */
export class DefinitionLoadError extends Error {
  readonly issues: DefinitionIssue[];
  constructor(issues: DefinitionIssue[]) {
    const errors = issues.filter((i) => i.severity !== 'warning');
    super(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in integration definitions:\n` +
        errors.map(formatIssue).join('\n'),
    );
    this.name = 'DefinitionLoadError';
    this.issues = issues;
  }
}

export type UnifiedErrorKind =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'not_implemented'
  | 'remote_error'
  | 'remote_timeout'
  | 'definition_error'
  | 'unavailable'
  | 'internal';

export const DEFAULT_STATUS_BY_KIND: Record<UnifiedErrorKind, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  not_implemented: 501,
  remote_error: 502,
  remote_timeout: 504,
  definition_error: 500,
  unavailable: 503,
  internal: 500,
};

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** One failing input field, for validation errors. `path` is dotted from the request root, e.g. `body.group_id`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export interface RemoteFailure {
  status: number;
  body: unknown;
  /** The provider's own error code, when the integration's error mapping reads one. */
  code?: string;
}

export interface UnifiedErrorOptions {
  status?: number;
  details?: ErrorDetail[];
  remote?: RemoteFailure;
  /** Where a definition error comes from (file:line:col), for operators; never secrets. */
  source?: string;
  cause?: unknown;
  /** Rate-limit headers to pass on even on failure (e.g. a 429). */
  headers?: Record<string, string>;
}

/** A failed unified call. `toEnvelope()` is exactly what the HTTP server sends. */
export class UnifiedError extends Error {
  readonly kind: UnifiedErrorKind;
  readonly statusCode: number;
  readonly details?: ErrorDetail[];
  readonly remote?: RemoteFailure;
  readonly source?: string;
  readonly headers?: Record<string, string>;

  constructor(kind: UnifiedErrorKind, message: string, options: UnifiedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UnifiedError';
    this.kind = kind;
    this.statusCode = options.status ?? DEFAULT_STATUS_BY_KIND[kind];
    this.details = options.details;
    this.remote = options.remote;
    this.source = options.source;
    this.headers = options.headers;
  }

  toEnvelope(): ErrorEnvelope {
    const envelope: ErrorEnvelope = {
      statusCode: this.statusCode,
      error: reasonPhrase(this.statusCode),
      message: this.message,
      kind: this.kind,
    };
    if (this.details?.length) envelope.details = this.details;
    if (this.remote) {
      envelope.remote_error = true;
      envelope.remote_status = this.remote.status;
      if (this.remote.code !== undefined) envelope.remote_code = this.remote.code;
      envelope.remote_body = this.remote.body;
    }
    return envelope;
  }
}

export interface ErrorEnvelope {
  statusCode: number;
  error: string;
  message: string;
  kind: UnifiedErrorKind;
  details?: ErrorDetail[];
  remote_error?: true;
  remote_status?: number;
  remote_code?: string;
  remote_body?: unknown;
}

export function isUnifiedError(value: unknown): value is UnifiedError {
  return value instanceof UnifiedError;
}
