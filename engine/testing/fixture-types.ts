/**
 * Fixture files as authors write them (mirroring schemas/definition/fixture.schema.json, the public
 * contract), and cases after loading: defaults resolved, operation found, positions kept.
 */
import type { LoadedOperation } from '../definition/loaded.js';
import type { PathSegment, YamlSource } from '../loader/yaml-source.js';

export type HeaderMap = Record<string, string | number>;

export interface RemoteRequestSpec {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  headers?: HeaderMap;
  body?: unknown;
  body_contains?: unknown;
}

export interface RemoteResponseSpec {
  status?: number;
  headers?: HeaderMap;
  body?: unknown;
  text?: string;
}

export interface ExchangeSpec {
  step?: string;
  request: RemoteRequestSpec;
  response: RemoteResponseSpec;
}

export interface ExpectedError {
  status?: number;
  kind?: string;
  message?: string;
  message_pattern?: string;
  remote_status?: number;
  remote_code?: string;
}

export interface ExpectSpec {
  status?: number;
  body?: unknown;
  body_contains?: unknown;
  headers?: HeaderMap;
  error?: ExpectedError;
  waits_ms?: number[];
}

export interface AccountSpec {
  context?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
}

export interface RequestSpec {
  query?: Record<string, unknown> | string;
  body?: unknown;
}

/** Fields a case may set, and a `cases:` file may default. */
export interface CaseFields {
  operation?: string;
  account?: AccountSpec;
  now?: string;
  request?: RequestSpec;
  exchanges?: ExchangeSpec[];
  expect?: ExpectSpec;
}

export interface CaseSpec extends CaseFields {
  name: string;
  description?: string;
}

export interface FixtureFileSpec extends CaseFields {
  description?: string;
  name?: string;
  integration?: string;
  cases?: CaseSpec[];
}

/** A case ready to run: every default applied, every field traceable to its place in the file. */
export interface FixtureCase {
  /** Display name of the file (relative to the display root). */
  file: string;
  /** Line of the case: its item in `cases:`, or the document for a single-case file. */
  line: number;
  name: string;
  description?: string;
  integration: string;
  operation: LoadedOperation;
  account: { context: Record<string, unknown>; credentials: Record<string, unknown> };
  /** Epoch milliseconds. */
  now: number;
  query: Record<string, unknown>;
  body?: unknown;
  exchanges?: ExchangeSpec[];
  expect?: ExpectSpec;
  source: YamlSource;
  /** Where a field of this case is written (the case's own, or the file-level default it inherits). */
  at(field: keyof CaseFields, ...rest: PathSegment[]): PathSegment[];
}

export const DEFAULT_NOW = Date.UTC(2024, 0, 1);
