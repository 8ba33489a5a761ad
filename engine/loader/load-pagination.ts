import type { LoadedPagination } from '../definition/loaded.js';
import type { PaginationSpec } from '../definition/types.js';
import type { DefinitionIssue } from '../errors.js';
import type { ExpressionCompiler } from '../expression/types.js';
import { compileAt } from './compile-expression.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

/** Compiles the expressions of a pagination declaration found at `at` in `source`. */
export function loadPagination(
  spec: PaginationSpec | undefined,
  source: YamlSource,
  at: PathSegment[],
  compiler: ExpressionCompiler,
  issues: DefinitionIssue[],
): LoadedPagination | undefined {
  if (!spec || spec.type === 'none') return undefined;
  const loaded: LoadedPagination = { spec };
  if (spec.type === 'next_link' || spec.type === 'cursor') loaded.next = compileAt(compiler, source, [...at, 'next'], spec.next, issues);
  if (spec.type === 'offset' && spec.total) loaded.total = compileAt(compiler, source, [...at, 'total'], spec.total, issues);
  return loaded;
}
