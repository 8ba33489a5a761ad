/**
 * The SCIM-like expressions Okta accepts in `search` and `filter`
 * (`type eq "OKTA_GROUP" and lastUpdated gt "2016-11-11T00:00:00.000Z"`).
 * Small on purpose: comparisons, `pr`, `and`/`or` and parentheses. No `not`:
 * Okta documents it as unsupported for `filter`, and a fake that accepted more
 * than Okta would hide bugs in the definitions under test.
 */

export type FilterOp = 'eq' | 'ne' | 'sw' | 'co' | 'ew' | 'pr' | 'gt' | 'ge' | 'lt' | 'le';
type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'cmp'; attr: string; op: FilterOp; value: Literal }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode };

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

const OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'sw', 'co', 'ew', 'pr', 'gt', 'ge', 'lt', 'le']);

type Token =
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: '(' | ')' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterSyntaxError('unterminated string');
        const d = src[i++];
        if (d === '"') break;
        if (d === '\\') {
          if (i >= src.length) throw new FilterSyntaxError('dangling escape');
          v += src[i++];
        } else {
          v += d;
        }
      }
      out.push({ t: 'str', v });
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected '${c}'`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i))!;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    } else {
      throw new FilterSyntaxError(`unexpected '${c}'`);
    }
  }
  return out;
}

export function parseFilter(src: string): FilterNode {
  const tokens = tokenize(src);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const tk = tokens[pos];
    return tk && tk.t === 'word' ? tk.v.toLowerCase() : undefined;
  };

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parsePrimary();
    while (peekWord() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): FilterNode => {
    const tk = tokens[pos];
    if (!tk) throw new FilterSyntaxError('unexpected end of expression');
    if (tk.t === '(') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t !== ')') throw new FilterSyntaxError("missing ')'");
      pos++;
      return inner;
    }
    if (tk.t !== 'word') throw new FilterSyntaxError('expected an attribute name');
    if (tk.v.toLowerCase() === 'not') throw new FilterSyntaxError("'not' is not supported");
    pos++;
    const opTk = tokens[pos];
    if (!opTk || opTk.t !== 'word' || !OPS.has(opTk.v.toLowerCase())) {
      throw new FilterSyntaxError(`expected an operator after '${tk.v}'`);
    }
    pos++;
    const op = opTk.v.toLowerCase() as FilterOp;
    if (op === 'pr') return { kind: 'cmp', attr: tk.v, op, value: null };
    const vt = tokens[pos++];
    if (!vt) throw new FilterSyntaxError('expected a value');
    let value: Literal;
    if (vt.t === 'str' || vt.t === 'num') value = vt.v;
    else if (vt.t === 'word' && ['true', 'false', 'null'].includes(vt.v)) value = JSON.parse(vt.v) as Literal;
    else throw new FilterSyntaxError('expected a value');
    return { kind: 'cmp', attr: tk.v, op, value };
  };

  const node = parseOr();
  if (pos !== tokens.length) throw new FilterSyntaxError('trailing input');
  return node;
}

/** Throws FilterSyntaxError when a comparison uses an attribute or operator the caller disallows. */
export function checkFilter(node: FilterNode, allowed: (attr: string, op: FilterOp) => boolean): void {
  if (node.kind === 'cmp') {
    if (!allowed(node.attr, node.op)) throw new FilterSyntaxError(`'${node.attr} ${node.op}' is not supported here`);
    return;
  }
  checkFilter(node.left, allowed);
  checkFilter(node.right, allowed);
}

function lookup(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

function compare(a: unknown, b: Literal): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (ISO_DATE.test(a) && ISO_DATE.test(b)) return Date.parse(a) - Date.parse(b);
    return a.localeCompare(b);
  }
  return undefined;
}

/**
 * Okta: "Property names in the search parameter are case sensitive, whereas
 * operators and string values are case insensitive". Ids stay exact.
 */
export function evaluateFilter(node: FilterNode, obj: unknown): boolean {
  if (node.kind !== 'cmp') {
    return node.kind === 'and'
      ? evaluateFilter(node.left, obj) && evaluateFilter(node.right, obj)
      : evaluateFilter(node.left, obj) || evaluateFilter(node.right, obj);
  }
  const actual = lookup(obj, node.attr);
  if (node.op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  const fold = node.attr !== 'id';
  const norm = (v: unknown) => (fold && typeof v === 'string' ? v.toLowerCase() : v);
  const a = norm(actual);
  const b = norm(node.value) as Literal;
  switch (node.op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'sw':
      return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    case 'ew':
      return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
    case 'co':
      return typeof a === 'string' && typeof b === 'string' && a.includes(b);
    default: {
      const c = compare(actual, node.value);
      if (c === undefined || Number.isNaN(c)) return false;
      return node.op === 'gt' ? c > 0 : node.op === 'ge' ? c >= 0 : node.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}
