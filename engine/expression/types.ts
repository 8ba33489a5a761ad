/**
 * The one seam between the runtime pipeline and whatever evaluates mapping expressions.
 *
 * The pipeline only ever sees `Expression`: it never imports jsonata directly. An evaluator that
 * compiles JSONata to JavaScript drops in by implementing `ExpressionCompiler` and being chosen per
 * expression at load time; nothing in the pipeline changes.
 */

/** Where an expression came from, for error reports (1-based line and column in the YAML file). */
export interface ExpressionOrigin {
  file: string;
  /** Field path inside the definition, e.g. `steps[0].request.body`. */
  path: string;
  line: number;
  col: number;
}

/** Variables an expression may read besides its input (`$`). Keys are names without the `$`. */
export type Bindings = Record<string, unknown>;

export interface EvaluationLimits {
  /** Wall-clock budget for one evaluation, in milliseconds. */
  timeoutMs: number;
  /** Maximum evaluation depth (nested calls / recursion). */
  maxDepth: number;
}

export const DEFAULT_EVALUATION_LIMITS: EvaluationLimits = { timeoutMs: 250, maxDepth: 200 };

export interface Expression {
  readonly source: string;
  /** `compiled` when produced by the JS compiler, `interpreted` when run by the jsonata interpreter. */
  readonly mode: 'compiled' | 'interpreted';
  /** Why an expression runs interpreted (the construct the compiler did not accept); undefined when compiled. */
  readonly fallbackReason?: string;
  /**
   * Evaluate against `input` with `bindings`. May return synchronously (compiled) or a promise
   * (interpreted, and the rare compiled evaluations handed to the interpreter at run time: see
   * compiler/concurrency.ts); callers always `await` a promise. Throws `ExpressionError` on failure, including a time-box
   * or depth-limit breach. Evaluation never changes what later evaluations see: an implementation
   * that would mark its input (jsonata's `keepSingleton`) works on its own copy.
   */
  evaluate(input: unknown, bindings?: Bindings): unknown | Promise<unknown>;
}

/** Turns source text into an Expression, or throws `ExpressionSyntaxError`. */
export interface ExpressionCompiler {
  compile(source: string, origin?: ExpressionOrigin): Expression;
}
