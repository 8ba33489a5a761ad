import type { ValidateFunction } from 'ajv';
import type { Expression } from '../expression/types.js';
import type { TemplatePart } from '../runtime/url.js';
import type { IntegrationSpec, OperationSpec, PagedPaginationSpec, StepSpec, UnifiedMethodSpec, UnifiedModelSpec } from './types.js';

/** Definitions after loading: checked, with every expression compiled and every schema turned into a validator. */

export interface UnifiedMethod {
  model: string;
  resource: string;
  method: string;
  /** `model/resource/method` */
  key: string;
  spec: UnifiedMethodSpec;
  resourceSchema: Record<string, unknown>;
  bodySchema?: Record<string, unknown>;
  querySchema?: Record<string, unknown>;
  validateResource: ValidateFunction;
  validateBody?: ValidateFunction;
  validateQuery?: ValidateFunction;
}

export interface UnifiedModel {
  spec: UnifiedModelSpec;
  file: string;
}

export interface UnifiedCatalog {
  models: Map<string, UnifiedModel>;
  methods: Map<string, UnifiedMethod>;
}

export interface LoadedErrorRule {
  when: Expression;
  kind: NonNullable<NonNullable<IntegrationSpec['errors']>['rules']>[number]['kind'];
  status?: number;
  message?: Expression;
}

export interface LoadedIntegration {
  name: string;
  file: string;
  spec: IntegrationSpec;
  validateContext: ValidateFunction;
  validateCredentials: ValidateFunction;
  /** Credential field names that are secrets to mask anywhere they might show (every field of the credentials). */
  errorMessage?: Expression;
  errorCode?: Expression;
  errorRules: LoadedErrorRule[];
  rateLimitDetect?: Expression;
  pagination?: LoadedPagination;
  /** Operations by `model/resource/method`. */
  operations: Map<string, LoadedOperation>;
}

export interface LoadedStep {
  spec: StepSpec;
  index: number;
  pathParts: TemplatePart[];
  pathParams: [name: string, expression: Expression][];
  when?: Expression;
  query?: Expression;
  headers?: Expression;
  body?: Expression;
  passthrough: boolean;
  idempotent: boolean;
  success?: ReadonlySet<number>;
  successWhen?: Expression;
}

export interface LoadedOperation {
  integration: string;
  file: string;
  /** `model/resource/method` */
  key: string;
  spec: OperationSpec;
  unified: UnifiedMethod;
  steps: LoadedStep[];
  /** Candidate response steps by index, in order of preference: the first that ran with a body is mapped. */
  responseSteps: number[];
  mapping: Expression;
  /** The mapping always builds its result object afresh (see buildsFreshObject): remote_data can go straight onto it. */
  freshResult: boolean;
  /** List methods: where the items are in the page body (default: the body itself). */
  items?: Expression;
  /** List methods: the effective pagination (the operation's, else the integration's). */
  pagination?: LoadedPagination;
}

export interface LoadedPagination {
  spec: PagedPaginationSpec;
  /** `next` (next_link, cursor) or `total` (offset), compiled. */
  next?: Expression;
  total?: Expression;
}

export interface LoadedDefinitions {
  catalog: UnifiedCatalog;
  integrations: Map<string, LoadedIntegration>;
}
