import type { DefinitionIssue } from '../errors.js';
import { parseExpression } from '../expression/jsonata-interpreter.js';
import { closest } from './spelling.js';
import { formatPath, positionInScalar, type PathSegment, type YamlSource } from './yaml-source.js';

/**
 * Checks JSON Schema cannot do: a mapping that reads a unified field the unified schema lacks, or
 * writes a unified field the model does not have. Both are almost always typos that would otherwise
 * silently produce `undefined`.
 */

type Node = { type?: string; value?: unknown; position?: number; steps?: Node[]; lhs?: unknown; [k: string]: unknown };

interface Roots {
  /** Root names (`body`, `$body`…) and the properties their schema allows; undefined = anything. */
  [root: string]: { label: string; properties?: string[] };
}

export function checkReads(
  source: YamlSource,
  path: readonly PathSegment[],
  text: string,
  roots: Roots,
  issues: DefinitionIssue[],
): void {
  const ast = safeParse(text);
  if (!ast) return;
  visit(ast, (node) => {
    if (node.type !== 'path' || !Array.isArray(node.steps) || node.steps.length < 2) return;
    let [first, second] = node.steps;
    let rootKey = first.type === 'variable' ? `$${String(first.value)}` : first.type === 'name' ? String(first.value) : undefined;
    // `$request.body.x` in a response mapping reads the unified body as well.
    if (rootKey === '$request' && node.steps.length >= 3 && node.steps[1].type === 'name') {
      rootKey = `$request.${String(node.steps[1].value)}`;
      second = node.steps[2];
    }
    const root = rootKey ? roots[rootKey] : undefined;
    if (!root?.properties || second.type !== 'name') return;
    const field = String(second.value);
    if (root.properties.includes(field)) return;
    const guess = closest(field, root.properties);
    issues.push({
      code: 'mapping.unknown-field',
      file: source.file,
      ...positionInScalar(source, path, tokenStart(second, field)),
      path: formatPath(path),
      message: `reads \`${field}\`, which the ${root.label} does not have`,
      hint: guess ? `Did you mean \`${guess}\`?` : `Known fields: ${root.properties.join(', ') || '(none)'}.`,
      severity: 'error',
    });
  });
}

/** The response mapping's object constructor may only produce fields of the unified resource. */
export function checkWrites(
  source: YamlSource,
  path: readonly PathSegment[],
  text: string,
  label: string,
  properties: string[] | undefined,
  issues: DefinitionIssue[],
): void {
  const ast = safeParse(text);
  if (!ast || !properties) return;
  const object = resultObject(ast);
  if (!object) return;
  for (const pair of object.lhs as [Node, Node][]) {
    const key = pair[0];
    if (key.type !== 'string') continue;
    const name = String(key.value);
    if (properties.includes(name)) continue;
    const guess = closest(name, properties);
    issues.push({
      code: 'mapping.unknown-output-field',
      file: source.file,
      ...positionInScalar(source, path, tokenStart(key, JSON.stringify(name))),
      path: formatPath(path),
      message: `produces \`${name}\`, which the unified ${label} does not have`,
      hint: guess ? `Did you mean \`${guess}\`?` : `Unified fields: ${properties.join(', ')}. Put provider-only data in remote_data.`,
      severity: 'error',
    });
  }
}

/** The object constructor whose value the expression returns (directly, or as a block's last expression). */
function resultObject(node: Node): Node | undefined {
  if (node.type === 'unary' && node.value === '{' && Array.isArray(node.lhs)) return node;
  if (node.type === 'block' && Array.isArray(node.expressions)) {
    const last = (node.expressions as Node[])[(node.expressions as Node[]).length - 1];
    return last ? resultObject(last) : undefined;
  }
  return undefined;
}

/**
 * Whether every result of the expression is an object its own constructor made on this evaluation
 * (an object constructor, as the value, a block's last expression or both arms of a condition),
 * never a value taken from the input or a variable. The runtime may then add remote_data to the
 * result itself instead of to a copy. Anything else, or a decoration it does not know (a filter,
 * a sort, a grouping, `[]`), answers false.
 */
export function buildsFreshObject(text: string): boolean {
  const ast = safeParse(text);
  return ast !== undefined && freshObject(ast);
}

function freshObject(node: Node | undefined): boolean {
  if (!node) return false;
  if (node.stages !== undefined || node.predicate !== undefined || node.group !== undefined || node.keepArray || node.focus !== undefined || node.index !== undefined) return false;
  if (node.type === 'unary' && node.value === '{') return Array.isArray(node.lhs);
  if (node.type === 'block' && Array.isArray(node.expressions)) return freshObject((node.expressions as Node[]).at(-1));
  // A missing else yields nothing, which the runtime refuses anyway.
  if (node.type === 'condition') return freshObject(node.then as Node) && (node.else === undefined || freshObject(node.else as Node));
  return false;
}

function tokenStart(node: Node, token: string): number {
  return typeof node.position === 'number' ? Math.max(0, node.position - token.length) : 0;
}

function safeParse(text: string): Node | undefined {
  try {
    return parseExpression(text) as unknown as Node;
  } catch {
    return undefined; // syntax errors are reported by the compile step
  }
}

function visit(node: unknown, fn: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, fn);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  if (typeof n.type === 'string') fn(n);
  for (const [k, v] of Object.entries(n)) {
    if (k === 'position' || k === 'value' && typeof v !== 'object') continue;
    if (v && typeof v === 'object') visit(v, fn);
  }
}

export function schemaProperties(schema: Record<string, unknown> | undefined): string[] | undefined {
  if (!schema || schema.additionalProperties !== false) return undefined; // open schemas accept any field
  return Object.keys((schema.properties ?? {}) as Record<string, unknown>);
}
