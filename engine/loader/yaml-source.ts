import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node } from 'yaml';
import type { DefinitionIssue } from '../errors.js';

/** A parsed YAML file that can answer "where is this field?" in 1-based line/column terms. */
export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** Plain JS value of the document (before any defaults are applied). */
  value: unknown;
}

export type PathSegment = string | number;

export function parseYamlSource(file: string, text: string): { source?: YamlSource; issues: DefinitionIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const issues: DefinitionIssue[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(err.pos[0]);
    issues.push({
      code: `yaml.${err.code.toLowerCase()}`,
      file,
      line: pos.line,
      col: pos.col,
      path: '',
      message: err.message.split('\n')[0],
      hint: err.code === 'DUPLICATE_KEY' ? 'Each key may appear once in a mapping; remove or rename the repeated one.' : 'Fix the YAML syntax at this position.',
      severity: doc.errors.includes(err as never) ? 'error' : 'warning',
    });
  }
  if (doc.errors.length) return { issues };
  return { source: { file, text, doc, lines, value: doc.toJS({ maxAliasCount: 100 }) }, issues };
}

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** JSON pointer (`/steps/0/method`, as ajv reports) to path segments. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

function childNode(node: unknown, seg: PathSegment): { value?: Node; key?: Node } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = isScalar(item.key) ? item.key.value : item.key;
      if (String(k) === String(seg)) return { value: (item.value ?? undefined) as Node | undefined, key: item.key as Node };
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item ? { value: item as Node } : undefined;
  }
  return undefined;
}

/**
 * The deepest node reachable along `path`. With `key: true`, the key of the last segment (where an
 * unknown property should be reported) rather than its value.
 */
export function nodeAt(source: YamlSource, path: readonly PathSegment[], opts: { key?: boolean } = {}): Node | undefined {
  let node: unknown = source.doc.contents;
  let last: Node | undefined = node as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const next = childNode(node, path[i]);
    if (!next) return last;
    if (opts.key && i === path.length - 1 && next.key) return next.key;
    node = next.value;
    if (node) last = node as Node;
  }
  return last;
}

export function positionAt(source: YamlSource, path: readonly PathSegment[], opts: { key?: boolean } = {}): { line: number; col: number } {
  const node = nodeAt(source, path, opts);
  const offset = node?.range?.[0] ?? 0;
  return source.lines.linePos(offset);
}

/**
 * Line/column in the file of character `offset` inside the string value at `path`. Handles the
 * scalar styles mapping authors use: block literals (`|`), block folded (`>`), plain and quoted.
 */
export function positionInScalar(source: YamlSource, path: readonly PathSegment[], offset: number): { line: number; col: number } {
  const node = nodeAt(source, path);
  if (!node || !isScalar(node) || !node.range) return positionAt(source, path);
  const start = node.range[0];
  const raw = source.text.slice(start, node.range[1]);
  const value = String((node as Scalar).value ?? '');
  const before = value.slice(0, Math.max(0, offset));
  const lineIdx = (before.match(/\n/g) ?? []).length;
  const colInLine = before.length - (before.lastIndexOf('\n') + 1);

  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    // The header (`|`, `|-`, `>+2`…) sits on the node's first line; content starts on the next line.
    const header = source.lines.linePos(start);
    const contentLines = raw.split('\n').slice(1);
    const indent = contentLines.find((l) => l.trim().length > 0)?.match(/^ */)?.[0].length ?? 0;
    // Skip blank lines the value does not start with (leading empty lines are kept by YAML, so this is exact for `|`).
    return { line: header.line + 1 + lineIdx, col: indent + colInLine + 1 };
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  const startPos = source.lines.linePos(start);
  if (lineIdx === 0) return { line: startPos.line, col: startPos.col + quoted + colInLine };
  // Multi-line flow scalars fold newlines; count source lines instead and approximate the column.
  return { line: startPos.line + lineIdx, col: colInLine + 1 };
}
