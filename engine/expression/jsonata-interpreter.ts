import jsonata from 'jsonata';
import { toEvaluationError, toSyntaxError } from './errors.js';
import {
  DEFAULT_EVALUATION_LIMITS,
  type Bindings,
  type EvaluationLimits,
  type Expression,
  type ExpressionCompiler,
  type ExpressionOrigin,
} from './types.js';

/** The reference evaluator: the jsonata interpreter with its built-in time-box and depth guard. */
export class JsonataInterpreter implements ExpressionCompiler {
  constructor(private readonly limits: EvaluationLimits = DEFAULT_EVALUATION_LIMITS) {}

  compile(source: string, origin?: ExpressionOrigin): Expression {
    let compiled: jsonata.Expression;
    try {
      compiled = jsonata(source, { timeout: this.limits.timeoutMs, stack: this.limits.maxDepth } as never);
    } catch (thrown) {
      throw toSyntaxError(thrown, source, origin);
    }
    return new InterpretedExpression(source, compiled, origin, usesKeepArray(compiled.ast()));
  }
}

/**
 * jsonata 2.2.2 marks arrays it reaches through a `[]` step with `keepSingleton` *on the input
 * itself*, which changes how later evaluations of other expressions see the same data. Only such
 * expressions get a private copy of their input, so the common case costs nothing.
 */
function usesKeepArray(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if ((node as { keepArray?: boolean }).keepArray === true) return true;
  for (const value of Object.values(node)) {
    if (value && typeof value === 'object' && usesKeepArray(value)) return true;
  }
  return false;
}

class InterpretedExpression implements Expression {
  readonly mode = 'interpreted' as const;
  constructor(
    readonly source: string,
    private readonly compiled: jsonata.Expression,
    private readonly origin: ExpressionOrigin | undefined,
    private readonly copiesInput: boolean,
  ) {}

  async evaluate(input: unknown, bindings?: Bindings): Promise<unknown> {
    try {
      if (this.copiesInput) {
        input = structuredClone(input);
        bindings = bindings && structuredClone(bindings);
      }
      return await this.compiled.evaluate(input, bindings);
    } catch (thrown) {
      throw toEvaluationError(thrown, this.origin);
    }
  }
}

/** Parse only: the syntax tree jsonata builds, for static checks (which variables and fields an expression reads). */
export function parseExpression(source: string, origin?: ExpressionOrigin): jsonata.ExprNode {
  try {
    return jsonata(source).ast();
  } catch (thrown) {
    throw toSyntaxError(thrown, source, origin);
  }
}
