/**
 * Types of the YAML definitions as written by integration authors (mirroring
 * schemas/definition/*.schema.json, which is the public contract), and of the unified catalogue.
 */

export type AuthScheme =
  | { type: 'header'; header: string; prefix?: string; credential: string }
  | { type: 'bearer'; credential: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'none' };

export type ErrorRuleKind =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'remote_error'
  | 'unavailable';

export interface IntegrationSpec {
  name: string;
  label: string;
  extends?: string;
  description?: string;
  docs_url?: string;
  base_url: string;
  context_schema: Record<string, unknown>;
  credentials_schema: Record<string, unknown>;
  auth: AuthScheme[];
  headers?: Record<string, string>;
  errors?: {
    message?: string;
    code?: string;
    rules?: { when: string; kind: ErrorRuleKind; status?: number; message?: string }[];
  };
  rate_limit?: {
    detect?: string;
    limit_header?: string;
    remaining_header?: string;
    reset_header?: string;
    reset_format?: 'epoch_seconds' | 'delta_seconds';
    retry_after_header?: string;
  };
  retry?: { max_attempts?: number; base_delay_ms?: number; max_delay_ms?: number };
  timeouts?: { connect_ms?: number; headers_ms?: number; body_ms?: number };
  pagination?: PaginationSpec;
}

interface PageSizeSpec {
  limit_param?: string;
  default_limit?: number;
  max_limit?: number;
  max_pages?: number;
}

export type PaginationSpec =
  | ({ type: 'link_header' } & PageSizeSpec)
  | ({ type: 'next_link'; next: string } & PageSizeSpec)
  | ({ type: 'cursor'; next: string; cursor_param: string } & PageSizeSpec)
  | ({ type: 'offset'; offset_param: string; base?: 0 | 1; total?: string } & PageSizeSpec)
  | ({ type: 'page'; page_param: string; base?: 0 | 1 } & PageSizeSpec)
  | { type: 'in_memory'; default_limit?: number; max_limit?: number; max_pages?: undefined; limit_param?: undefined }
  | { type: 'none' };

/** Pagination that actually pages (everything but `none`). */
export type PagedPaginationSpec = Exclude<PaginationSpec, { type: 'none' }>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface StepSpec {
  name: string;
  when?: string;
  method: HttpMethod;
  path: string;
  path_params?: Record<string, string>;
  query?: string;
  headers?: string;
  body?: string;
  passthrough?: boolean;
  success?: number[];
  success_when?: string;
  idempotent?: boolean;
}

export interface OperationSpec {
  model: string;
  resource: string;
  method: string;
  description?: string;
  docs_url?: string;
  requires?: { body?: string[]; query?: string[] };
  unsupported?: { body?: string[]; query?: string[] };
  steps: StepSpec[];
  pagination?: PaginationSpec;
  response: { step?: string | string[]; items?: string; mapping: string };
}

export interface UnifiedMethodSpec {
  description?: string;
  http: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string };
  body?: string;
  query?: string;
  result: 'object' | 'list' | 'none';
}

export interface UnifiedModelSpec {
  model: string;
  label: string;
  description?: string;
  resources: Record<string, { schema: string; methods: Record<string, UnifiedMethodSpec> }>;
}
