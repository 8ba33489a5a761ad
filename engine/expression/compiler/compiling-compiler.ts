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
import { fatal, isDelegation } from './concurrency.js';
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
    const reference = () => this.fallback.compile(source, origin);
    if (emit && this.emitAfter === 0) return new CompiledExpression(source, generated(emit) ?? code, origin, this.limits, closures, reference);
    return new CompiledExpression(source, code, origin, this.limits, closures, reference, emit, this.emitAfter || 0);
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

/**
 * Synchronous: one state object for the evaluation, a root scope, the compiled tree. (An evaluation
 * handed to the interpreter, see concurrency.ts, answers with the interpreter's promise.)
 */
class CompiledExpression implements Expression {
  readonly mode = 'compiled' as const;
  private readonly maxDepth: number;

  constructor(
    readonly source: string,
    private code: Code,
    private readonly origin: ExpressionOrigin | undefined,
    private readonly limits: EvaluationLimits,
    /** The closures (which `code` starts as), for an evaluation the generated code leaves to them. */
    private readonly closures: Code,
    /** The interpreter's version, for the evaluations compiled code hands over (see concurrency.ts). */
    private readonly reference: () => Expression,
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
    return this.run(this.code, input, bindings);
  }

  private run(code: Code, given: unknown, bindings: Bindings | undefined): unknown {
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
      input: given,
      shadowsBuiltins: builtinShadowed(bindings),
      concurrent: 0,
      peak: 0,
    };
    let input = given;
    // A top-level array is one value, not a sequence of them (the interpreter's "outer wrapper").
    if (Array.isArray(input) && !isSequence(input)) {
      const wrapped = sequenceOf(input);
      wrapped.outerWrapper = true;
      input = wrapped;
    }
    try {
      return code(input, new Env(undefined, run));
    } catch (thrown) {
      // What only the interpreter can decide (see concurrency.ts).
      if (isDelegation(thrown)) return this.delegate(given, bindings);
      // Generated code leaves failures among concurrently evaluated members to the closures.
      if (run.concurrent > 0 && code !== this.closures && !fatal(thrown)) return this.run(this.closures, given, bindings);
      throw toExpressionError(thrown, this.origin);
    }
  }

  private interpreted?: Expression;

  /**
   * The interpreter's answer, on a copy of the input: it writes to what it is given in more places
   * than its own copying guards against (a data object called as a function gets its name written
   * on it, say), and a compiled evaluation must leave its input as it was.
   */
  private delegate(input: unknown, bindings: Bindings | undefined): unknown {
    this.interpreted ??= this.reference();
    return this.interpreted.evaluate(copied(input), copied(bindings));
  }
}

/** A deep copy, or the value itself when it cannot be copied (a binding holding a JavaScript function). */
function copied<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  try {
    return structuredClone(value);
  } catch {
    return value;
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
