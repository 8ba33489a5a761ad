export type { Bindings, EvaluationLimits, Expression, ExpressionCompiler, ExpressionOrigin } from './types.js';
export { DEFAULT_EVALUATION_LIMITS } from './types.js';
export { ExpressionError, ExpressionSyntaxError } from './errors.js';
export { JsonataInterpreter, parseExpression } from './jsonata-interpreter.js';
export { CompilingExpressionCompiler } from './compiler/index.js';

import { CompilingExpressionCompiler } from './compiler/index.js';
import { DEFAULT_EVALUATION_LIMITS as DEFAULT_LIMITS, type EvaluationLimits as Limits, type ExpressionCompiler as Compiler } from './types.js';

/**
 * The evaluator every entry point uses (runtime, validate, the test runner, explain): expressions
 * compiled to JavaScript where the compiler accepts them, the interpreter otherwise. One choice, so
 * fixtures and `validate --verbose` describe exactly what production runs.
 */
export function defaultExpressionCompiler(limits: Limits = DEFAULT_LIMITS): Compiler {
  return new CompilingExpressionCompiler(limits);
}
