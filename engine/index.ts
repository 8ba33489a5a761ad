/** unimap as a library: load definitions once, then execute unified calls. */
export { createEngine } from './runtime/engine.js';
export type { Account, Engine, EngineOptions, Exchange, UnifiedCall, UnifiedResult } from './runtime/engine.js';
export { loadDefinitions, loadDefinitionsOrThrow } from './loader/index.js';
export type { LoadOptions, LoadResult } from './loader/index.js';
export { DefinitionLoadError, UnifiedError, formatIssue, isUnifiedError } from './errors.js';
export type { DefinitionIssue, ErrorDetail, ErrorEnvelope, UnifiedErrorKind } from './errors.js';
export { JsonataInterpreter } from './expression/index.js';
export type { Expression, ExpressionCompiler } from './expression/index.js';
export { parseUnifiedQuery } from './runtime/unified-request.js';
export type { RemoteRequest } from './runtime/plan-request.js';
export { jsonLogger, silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export { createServer } from './server/index.js';
export type { CreateServerOptions, ServerLimits, UnifiedServer } from './server/index.js';
export { openStore } from './store/index.js';
export type { Store } from './store/index.js';
export { coverageMatrix, describeOperation } from './runtime/describe.js';
export type { OperationDescription } from './runtime/describe.js';
