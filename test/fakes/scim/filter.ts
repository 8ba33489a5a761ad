/**
 * SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), enough of the ABNF to be strict:
 *
 *   FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
 *   valuePath = attrPath "[" valFilter "]"
 *   attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
 *   compValue = false / null / true / number / string
 *   attrPath  = [URI ":"] ATTRNAME *1subAttr
 *   PATH      = attrPath / valuePath [subAttr]
 *
 * "Attribute names and attribute operators used in filters are case insensitive"; precedence is
 * not > and > or. String comparisons fold case unless the attribute is caseExact (ids, references).
 * Anything the fake cannot evaluate is a 400 `invalidFilter` (or `invalidPath` for a PATCH path).
 */

import { scimErrors } from './errors.js';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'compare'; attr: string[]; op: CompareOp; value: Literal }
  | { kind: 'present'; attr: string[] }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; inner: FilterNode }
  | { kind: 'valuePath'; attr: string[]; filter: FilterNode };

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const CORE_URNS = ['urn:ietf:params:scim:schemas:core:2.0:user:', 'urn:ietf:params:scim:schemas:core:2.0:group:'];

type Token =
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: '(' | ')' | '[' | ']' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      // JSON string syntax (RFC 7644 §3.4.2.2 compValue is a JSON string).
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new FilterSyntaxError('unterminated string');
      try {
        out.push({ t: 'str', v: JSON.parse(src.slice(i, j + 1)) as string });
      } catch {
        throw new FilterSyntaxError('invalid string escape');
      }
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected '${c}'`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z$]/.test(c)) {
      const m = /^[A-Za-z$][A-Za-z0-9_$:.\-]*/.exec(src.slice(i))!;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    } else {
      throw new FilterSyntaxError(`unexpected '${c}'`);
    }
  }
  return out;
}

/** `urn:…:core:2.0:User:name.givenName` → ['name', 'givenname']; names are lower-cased. */
export function parseAttrPath(raw: string): string[] {
  let text = raw;
  const lower = raw.toLowerCase();
  for (const urn of CORE_URNS) if (lower.startsWith(urn)) text = raw.slice(urn.length);
  if (text.startsWith('urn:')) {
    // An extension attribute: the schema URN is the first step.
    const cut = text.lastIndexOf(':');
    const rest = text.slice(cut + 1);
    if (!rest) throw new FilterSyntaxError(`invalid attribute path '${raw}'`);
    return [text.slice(0, cut).toLowerCase(), ...rest.split('.').map((s) => s.toLowerCase())];
  }
  const parts = text.split('.');
  if (parts.length > 2 || parts.some((p) => !/^[A-Za-z$][A-Za-z0-9_$-]*$/.test(p))) throw new FilterSyntaxError(`invalid attribute path '${raw}'`);
  return parts.map((p) => p.toLowerCase());
}

class Parser {
  pos = 0;
  constructor(readonly tokens: Token[]) {}

  peekWord(): string | undefined {
    const tk = this.tokens[this.pos];
    return tk?.t === 'word' ? tk.v.toLowerCase() : undefined;
  }

  expect(t: Token['t']): void {
    if (this.tokens[this.pos]?.t !== t) throw new FilterSyntaxError(`expected '${t}'`);
    this.pos++;
  }

  or(): FilterNode {
    let left = this.and();
    while (this.peekWord() === 'or') {
      this.pos++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  and(): FilterNode {
    let left = this.unary();
    while (this.peekWord() === 'and') {
      this.pos++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  unary(): FilterNode {
    const tk = this.tokens[this.pos];
    if (!tk) throw new FilterSyntaxError('unexpected end of filter');
    if (tk.t === '(') {
      this.pos++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (tk.t === 'word' && tk.v.toLowerCase() === 'not' && this.tokens[this.pos + 1]?.t === '(') {
      this.pos += 2;
      const inner = this.or();
      this.expect(')');
      return { kind: 'not', inner };
    }
    if (tk.t !== 'word') throw new FilterSyntaxError('expected an attribute name');
    this.pos++;
    const attr = parseAttrPath(tk.v);
    if (this.tokens[this.pos]?.t === '[') {
      this.pos++;
      const filter = this.or();
      this.expect(']');
      return { kind: 'valuePath', attr, filter };
    }
    const op = this.peekWord();
    if (op === 'pr') {
      this.pos++;
      return { kind: 'present', attr };
    }
    if (!op || !COMPARE_OPS.has(op)) throw new FilterSyntaxError(`expected an operator after '${tk.v}'`);
    this.pos++;
    const vt = this.tokens[this.pos++];
    let value: Literal;
    if (vt?.t === 'str' || vt?.t === 'num') value = vt.v;
    else if (vt?.t === 'word' && ['true', 'false', 'null'].includes(vt.v)) value = JSON.parse(vt.v) as Literal;
    else throw new FilterSyntaxError(`expected a value after '${op}'`);
    return { kind: 'compare', attr, op: op as CompareOp, value };
  }
}

export function parseFilter(src: string): FilterNode {
  try {
    const p = new Parser(tokenize(src));
    const node = p.or();
    if (p.pos !== p.tokens.length) throw new FilterSyntaxError('trailing input');
    return node;
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw scimErrors.invalidFilter(err.message);
    throw err;
  }
}

/** A PATCH target: `members`, `name.givenName`, `members[value eq "2819c223"]`, `emails[type eq "work"].value`. */
export interface PatchPath {
  /** The path as the client wrote it. */
  text: string;
  attr: string[];
  filter?: FilterNode;
  subAttr?: string;
}

export function parsePatchPath(src: string): PatchPath {
  try {
    const sub = /^(.*\])\.([A-Za-z$][A-Za-z0-9_$-]*)$/.exec(src);
    const tokens = tokenize(sub ? sub[1] : src);
    const first = tokens[0];
    if (first?.t !== 'word') throw new FilterSyntaxError('expected an attribute');
    const attr = parseAttrPath(first.v);
    if (tokens.length === 1) return { text: src, attr };
    if (tokens[1].t !== '[' || tokens[tokens.length - 1].t !== ']') throw new FilterSyntaxError('expected [filter]');
    const p = new Parser(tokens.slice(2, -1));
    const filter = p.or();
    if (p.pos !== p.tokens.length) throw new FilterSyntaxError('trailing input in the value filter');
    return { text: src, attr, filter, subAttr: sub?.[2].toLowerCase() };
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw scimErrors.invalidPath(src);
    throw err;
  }
}

/** Case-insensitive property lookup, as attribute names are case-insensitive. */
export function getAttr(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Every value at `path`, flattening multi-valued attributes (a complex multi-valued attribute compares its `value`). */
function valuesAt(obj: unknown, path: string[]): unknown[] {
  let current: unknown[] = [obj];
  for (const step of path) {
    const next: unknown[] = [];
    for (const c of current) {
      const v = getAttr(c, step);
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined) next.push(v);
    }
    current = next;
  }
  return current.map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? getAttr(v, 'value') : v));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export interface FilterOptions {
  /** Dotted lower-case attribute paths whose strings compare case-sensitively (RFC 7643 `caseExact`). */
  caseExact: ReadonlySet<string>;
}

function compareOne(actual: unknown, op: CompareOp, expected: Literal, exact: boolean): boolean {
  if (expected === null) {
    if (op === 'eq') return actual === null || actual === undefined;
    if (op === 'ne') return actual !== null && actual !== undefined;
    return false;
  }
  if (typeof expected === 'boolean') {
    if (op !== 'eq' && op !== 'ne') throw scimErrors.invalidFilter(`'${op}' cannot compare a boolean`);
    return op === 'eq' ? actual === expected : actual !== expected;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return op === 'ne';
    switch (op) {
      case 'eq': return actual === expected;
      case 'ne': return actual !== expected;
      case 'gt': return actual > expected;
      case 'ge': return actual >= expected;
      case 'lt': return actual < expected;
      case 'le': return actual <= expected;
      default: throw scimErrors.invalidFilter(`'${op}' cannot compare a number`);
    }
  }
  if (typeof actual !== 'string') return op === 'ne';
  if (ISO_DATE.test(actual) && ISO_DATE.test(expected) && ['gt', 'ge', 'lt', 'le'].includes(op)) {
    const d = Date.parse(actual) - Date.parse(expected);
    return op === 'gt' ? d > 0 : op === 'ge' ? d >= 0 : op === 'lt' ? d < 0 : d <= 0;
  }
  const a = exact ? actual : actual.toLowerCase();
  const b = exact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'co': return a.includes(b);
    case 'sw': return a.startsWith(b);
    case 'ew': return a.endsWith(b);
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    case 'le': return a <= b;
  }
}

export function evaluateFilter(node: FilterNode, obj: unknown, options: FilterOptions, prefix: string[] = []): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, obj, options, prefix) && evaluateFilter(node.right, obj, options, prefix);
    case 'or':
      return evaluateFilter(node.left, obj, options, prefix) || evaluateFilter(node.right, obj, options, prefix);
    case 'not':
      return !evaluateFilter(node.inner, obj, options, prefix);
    case 'present':
      return valuesAt(obj, node.attr).some((v) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
    case 'valuePath': {
      const raw = getAttr(obj, node.attr[0]);
      const elements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
      return elements.some((el) => evaluateFilter(node.filter, el, options, [...prefix, ...node.attr]));
    }
    case 'compare': {
      const exact = options.caseExact.has([...prefix, ...node.attr].join('.'));
      const values = valuesAt(obj, node.attr);
      if (node.op === 'ne') return values.length === 0 ? node.value !== null : values.every((v) => compareOne(v, 'ne', node.value, exact));
      if (values.length === 0) return node.op === 'eq' && node.value === null;
      return values.some((v) => compareOne(v, node.op, node.value, exact));
    }
  }
}
