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
    return new InterpretedExpression(source, compiled, origin, mutatesInput(compiled.ast()));
  }
}

/**
 * jsonata 2.2.2 writes to its input in two places: it marks arrays it reaches through a `[]` step
 * with `keepSingleton`, and an object constructor given an empty array pushes `undefined` into it
 * (`emails{…}`, `a.{…}`, a constructor inside a constructor's value or a function body). Either
 * changes what later evaluations (and `remote_data`) see. Only such expressions get a private copy
 * of their input, so the common case costs nothing: an object constructor evaluated directly against
 * the root input (`{…}`, `($x := {…}; {…})`) never reaches an input array of its own.
 */
export function mutatesInput(node: unknown): boolean {
  return walk(node, true);
}

function walk(node: unknown, root: boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => walk(n, root));
  if (!node || typeof node !== 'object') return false;
  const n = node as Record<string, unknown>;
  if (n.keepArray === true || n.group !== undefined) return true;
  if (n.type === 'unary' && n.value === '{' && !root) return true;
  // Children evaluated against the same input as this node stay at the root; anything else is not.
  const keepsRoot = root && (n.type === 'block' || n.type === 'bind' || n.type === 'condition' || n.type === 'binary' || n.type === 'apply' || n.type === 'function' || n.type === 'partial' || (n.type === 'unary' && (n.value === '-' || n.value === '[')));
  for (const [key, value] of Object.entries(n)) {
    if (!value || typeof value !== 'object') continue;
    if (n.type === 'unary' && n.value === '{' && key === 'lhs') {
      // Members of a root constructor are evaluated per item of its input: not the root any more.
      if (walk(value, false)) return true;
      continue;
    }
    if (walk(value, keepsRoot)) return true;
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
    return parsedTree(source);
  } catch (thrown) {
    throw toSyntaxError(thrown, source, origin);
  }
}

/**
 * jsonata's syntax tree of `source`, parsed once: loading compiles every expression and then checks
 * what it reads and writes, which would otherwise parse it twice. Trees are only ever read (the
 * compiler and the static checks walk them; evaluation by the interpreter parses on its own).
 * Throws jsonata's own error for a syntax error (not remembered).
 */
export function parsedTree(source: string): jsonata.ExprNode {
  let ast = trees.get(source);
  if (ast === undefined) {
    ast = jsonata(source).ast();
    if (trees.size >= MAX_TREES) trees.delete(trees.keys().next().value as string);
    trees.set(source, ast);
  }
  return ast;
}

const MAX_TREES = 4096;
const trees = new Map<string, jsonata.ExprNode>();
