import type { LoadedDefinitions, LoadedPagination } from '../definition/loaded.js';
import type { Expression } from '../expression/types.js';
import { formatPath, type PathSegment } from '../loader/yaml-source.js';
import type { DefinitionLocator } from './definition-locator.js';

export interface ExpressionEntry {
  file: string;
  line: number;
  col: number;
  /** Field path inside the definition, e.g. `steps[0].path_params.groupId`. */
  path: string;
  mode: Expression['mode'];
  fallbackReason?: string;
  source: string;
}

/**
 * Every compiled expression of the loaded definitions with where it is written and how it runs
 * (`compiled` or `interpreted`, and why it fell back), for `validate --verbose`.
 */
export function listExpressions(definitions: LoadedDefinitions, locator: DefinitionLocator): ExpressionEntry[] {
  const out: ExpressionEntry[] = [];
  const add = (file: string, at: PathSegment[], expr: Expression | undefined) => {
    if (!expr) return;
    const pos = locator.position(file, at) ?? { line: 0, col: 0 };
    out.push({ file, ...pos, path: formatPath(at), mode: expr.mode, ...(expr.fallbackReason ? { fallbackReason: expr.fallbackReason } : {}), source: expr.source });
  };
  const addPagination = (file: string, p: LoadedPagination | undefined) => {
    add(file, ['pagination', 'next'], p?.next);
    add(file, ['pagination', 'total'], p?.total);
  };
  for (const integration of definitions.integrations.values()) {
    const f = integration.file;
    add(f, ['errors', 'message'], integration.errorMessage);
    add(f, ['errors', 'code'], integration.errorCode);
    integration.errorRules.forEach((rule, i) => {
      add(f, ['errors', 'rules', i, 'when'], rule.when);
      add(f, ['errors', 'rules', i, 'message'], rule.message);
    });
    add(f, ['rate_limit', 'detect'], integration.rateLimitDetect);
    addPagination(f, integration.pagination);
    for (const op of integration.operations.values()) {
      for (const step of op.steps) {
        const at = ['steps', step.index];
        for (const [name, expr] of step.pathParams) add(op.file, [...at, 'path_params', name], expr);
        add(op.file, [...at, 'when'], step.when);
        add(op.file, [...at, 'query'], step.query);
        add(op.file, [...at, 'headers'], step.headers);
        add(op.file, [...at, 'body'], step.body);
        add(op.file, [...at, 'success_when'], step.successWhen);
      }
      add(op.file, ['response', 'items'], op.items);
      add(op.file, ['response', 'mapping'], op.mapping);
      if (op.spec.pagination) addPagination(op.file, op.pagination);
    }
  }
  return out;
}
