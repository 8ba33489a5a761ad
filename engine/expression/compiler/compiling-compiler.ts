import { toSyntaxError } from '../errors.js';
import { JsonataInterpreter, parsedTree } from '../jsonata-interpreter.js';
import {
  DEFAULT_EVALUATION_LIMITS,
  type Bindings,
  type EvaluationLimits,
  type Expression,
  type ExpressionCompiler,
  type ExpressionOrigin,
} from '../types.js';
import { NodeCompiler, NotCompiled } from './compile.js';
import { emitExpression } from './emit.js';
import { toExpressionError } from './faults.js';
import { CLOCK_READ_INTERVAL } from './guards.js';
import { Env, type Code, type Run } from './scope.js';
import { isSequence, sequenceOf } from './sequences.js';
import { builtinShadowed } from './variables.js';

/**
 * Compiles each expression to JavaScript closures when it can, and hands it to the interpreter
 * when it cannot, deciding once, at load time. Parsing is jsonata's own, so syntax errors (codes
 * and offsets) are exactly the interpreter's.
 */
export class CompilingExpressionCompiler implements ExpressionCompiler {
  private readonly maxDepth: number;
  private readonly fallback: ExpressionCompiler;

  constructor(
    private readonly limits: EvaluationLimits = DEFAULT_EVALUATION_LIMITS,
    fallback?: ExpressionCompiler,
    /**
     * Generate JavaScript source for the top-level constructs (see emit.ts) once an expression has
     * been evaluated this many times (0: at once); false: closures only. Generating costs a few
     * hundred microseconds an expression, so only the ones in use pay it, and not at start-up.
     */
    private readonly emitAfter: number | false = EMIT_AFTER,
  ) {
    this.maxDepth = limits.maxDepth > 0 ? limits.maxDepth : Infinity;
    this.fallback = fallback ?? new JsonataInterpreter(limits);
  }

  compile(source: string, origin?: ExpressionOrigin): Expression {
    let ast: Record<string, any>;
    try {
      ast = parsedTree(source) as unknown as Record<string, any>;
    } catch (thrown) {
      throw toSyntaxError(thrown, source, origin);
    }
    let code: Code;
    let nodes: NodeCompiler;
    try {
      nodes = NodeCompiler.forExpression(ast, this.maxDepth);
      code = nodes.node(ast, 1);
    } catch (err) {
      if (!(err instanceof NotCompiled)) throw err;
      return new FallbackExpression(this.fallback.compile(source, origin), err.message);
    }
    // The closures decide what compiles; the hot constructs then run as generated JavaScript.
    const closures = code;
    const emit = this.emitAfter === false ? undefined : () => emitExpression(nodes, ast, closures);
    if (emit && this.emitAfter === 0) return new CompiledExpression(source, generated(emit) ?? code, origin, this.limits);
    return new CompiledExpression(source, code, origin, this.limits, emit, this.emitAfter || 0);
  }
}

/** The generated version, or undefined (the closures stay) should generating fail for any reason. */
function generated(emit: () => Code | undefined): Code | undefined {
  try {
    return emit();
  } catch {
    return undefined;
  }
}

/** Evaluations of an expression before its JavaScript is generated (see `emitAfter`). */
export const EMIT_AFTER = 64;

/** Synchronous: one state object for the evaluation, a root scope, the compiled tree. */
class CompiledExpression implements Expression {
  readonly mode = 'compiled' as const;
  private readonly maxDepth: number;

  constructor(
    readonly source: string,
    private code: Code,
    private readonly origin: ExpressionOrigin | undefined,
    private readonly limits: EvaluationLimits,
    /** Makes the generated version (same results), once `uses` evaluations have happened. */
    private emit?: () => Code | undefined,
    private uses = 0,
  ) {
    this.maxDepth = limits.maxDepth > 0 ? limits.maxDepth : Infinity;
  }

  evaluate(input: unknown, bindings?: Bindings): unknown {
    if (this.emit !== undefined && --this.uses < 0) {
      const emit = this.emit;
      this.emit = undefined;
      this.code = generated(emit) ?? this.code;
    }
    const now = Date.now();
    const timeoutMs = this.limits.timeoutMs;
    const run: Run = {
      base: 0,
      maxDepth: this.maxDepth,
      budget: CLOCK_READ_INTERVAL,
      deadline: timeoutMs > 0 ? now + timeoutMs : Infinity,
      timeoutMs,
      timestamp: now,
      bindings: bindings ?? undefined,
      input,
      shadowsBuiltins: builtinShadowed(bindings),
    };
    // A top-level array is one value, not a sequence of them (the interpreter's "outer wrapper").
    if (Array.isArray(input) && !isSequence(input)) {
      const wrapped = sequenceOf(input);
      wrapped.outerWrapper = true;
      input = wrapped;
    }
    try {
      return this.code(input, new Env(undefined, run));
    } catch (thrown) {
      throw toExpressionError(thrown, this.origin);
    }
  }
}

/** The interpreter's expression, saying why it was not compiled. */
class FallbackExpression implements Expression {
  readonly mode = 'interpreted' as const;
  readonly source: string;
  constructor(
    private readonly inner: Expression,
    readonly fallbackReason: string,
  ) {
    this.source = inner.source;
  }

  evaluate(input: unknown, bindings?: Bindings): unknown {
    return this.inner.evaluate(input, bindings);
  }
}
