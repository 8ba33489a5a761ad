import type { DefinitionIssue } from '../errors.js';
import { ExpressionSyntaxError } from '../expression/errors.js';
import type { Expression, ExpressionCompiler } from '../expression/types.js';
import { formatPath, positionAt, positionInScalar, type PathSegment, type YamlSource } from './yaml-source.js';

/**
 * Compiles the expression at `path` of `source`; a syntax error becomes an issue placed on the file
 * line and column of the bad token (the scalar's position plus the offset inside the expression).
 */
export function compileAt(
  compiler: ExpressionCompiler,
  source: YamlSource,
  path: readonly PathSegment[],
  text: string,
  issues: DefinitionIssue[],
): Expression | undefined {
  const at = positionAt(source, path);
  try {
    return compiler.compile(text, { file: source.file, path: formatPath(path), line: at.line, col: at.col });
  } catch (err) {
    if (!(err instanceof ExpressionSyntaxError)) throw err;
    const pos = positionInScalar(source, path, err.offset);
    issues.push({
      code: 'jsonata.syntax',
      file: source.file,
      ...pos,
      path: formatPath(path),
      message: `JSONata ${err.code}: ${err.message}`,
      hint: syntaxHint(err),
      severity: 'error',
    });
    return undefined;
  }
}

function syntaxHint(err: ExpressionSyntaxError): string {
  switch (err.code) {
    case 'S0202':
    case 'S0203':
      return 'A bracket or brace is not closed where JSONata expected it; check pairs of (), [] and {} and the commas between object fields.';
    case 'S0207':
      return 'The expression ends too early; something is missing after the last operator.';
    case 'S0211':
      return `"${err.token}" cannot start an expression here; look for a missing value or an extra comma just before it.`;
    case 'S0101':
    case 'S0102':
      return 'A string or number literal is malformed; check quotes.';
    default:
      return 'See https://docs.jsonata.org for the syntax; test the expression with `unimap explain`.';
  }
}
