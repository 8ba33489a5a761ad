export type { Bindings, EvaluationLimits, Expression, ExpressionCompiler, ExpressionOrigin } from './types.js';
export { DEFAULT_EVALUATION_LIMITS } from './types.js';
export { ExpressionError, ExpressionSyntaxError } from './errors.js';
export { JsonataInterpreter, parseExpression } from './jsonata-interpreter.js';
export { CompilingExpressionCompiler } from './compiler/index.js';
