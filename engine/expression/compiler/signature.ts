/**
 * Function signatures (`<s-n?:s>`): the interpreter's validator, ported, so argument errors carry the
 * same codes (T0410, T0411, T0412) and context values stand in for missing arguments the same way.
 */
import { fault } from './faults.js';
import { isFunction } from './values.js';

interface Param {
  regex: string;
  type: string;
  array?: boolean;
  context?: boolean;
  contextRegex?: RegExp;
  subtype?: string;
}

export interface Signature {
  readonly definition: string;
  validate(args: unknown[], context: unknown): unknown[];
  /** Whether `validate` would take these arguments as they are (each of its declared type, in its own position). */
  takes(args: unknown[]): boolean;
  /** When the fast path applies (see `fastPath`): the argument counts and what each position accepts. */
  readonly shape?: FastShape;
}

/** The fast path's conditions, for code that checks them inline: `min ≤ count ≤ max` and each argument accepted. */
export interface FastShape {
  min: number;
  max: number;
  /** Per position: an array (`item`: of what, if said), or one of `symbols` (`asnblfom` accepts anything). */
  params: { array: boolean; item?: string; symbols: string }[];
}

const ARRAY_OF: Record<string, string> = { a: 'arrays', b: 'booleans', f: 'functions', n: 'numbers', o: 'objects', s: 'strings' };

export function symbolOf(value: unknown): string {
  if (isFunction(value)) return 'f';
  switch (typeof value) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'object':
      return value === null ? 'l' : Array.isArray(value) ? 'a' : 'o';
    default:
      return 'm';
  }
}

function closing(str: string, start: number, open: string, close: string): number {
  let depth = 1;
  let position = start;
  while (position < str.length) {
    position++;
    const symbol = str.charAt(position);
    if (symbol === close) {
      depth--;
      if (depth === 0) break;
    } else if (symbol === open) {
      depth++;
    }
  }
  return position;
}

/**
 * Most calls pass each argument in its own position with the declared type: then the regex's first
 * match (its groups are greedy) takes one argument per parameter, and validation changes nothing.
 * Checking that directly avoids building the symbol string and running the regex. Anything else
 * (a missing argument that the context replaces, a value to wrap in an array, a repeated
 * parameter) takes the full path.
 */
function fastPath(params: Param[]): { check: (args: unknown[]) => boolean; shape: FastShape } | undefined {
  if (params.some((p) => p.regex.endsWith('+'))) return undefined;
  const checks: ((arg: unknown) => boolean)[] = [];
  const shapes: FastShape['params'] = [];
  for (const p of params) {
    const m = /^\[([a-z]+)\]|^(f)/.exec(p.regex);
    if (!m) return undefined;
    checks.push(accepting(m[1] ?? m[2], p));
    shapes.push({ array: p.type === 'a', item: p.type === 'a' ? p.subtype?.charAt(0) : undefined, symbols: m[1] ?? m[2] });
  }
  // Parameters that may be left out without the context standing in for them, from the end backwards.
  let firstOmissible = params.length;
  while (firstOmissible > 0 && params[firstOmissible - 1].regex.endsWith('?') && !params[firstOmissible - 1].context) firstOmissible--;
  const max = params.length;
  const [c0, c1, c2] = checks;
  const check = (args: unknown[]) => {
    const n = args.length;
    if (n > max || n < firstOmissible) return false;
    if (n > 0 && !c0(args[0])) return false;
    if (n > 1 && !c1(args[1])) return false;
    if (n > 2 && !c2(args[2])) return false;
    for (let i = 3; i < n; i++) if (!checks[i](args[i])) return false;
    return true;
  };
  return { check, shape: { min: firstOmissible, max, params: shapes } };
}

/** One argument as the fast path takes it: the declared type exactly, an array already an array. */
function accepting(symbols: string, p: Param): (arg: unknown) => boolean {
  if (p.type === 'a') {
    const item = p.subtype?.charAt(0);
    return item === undefined ? Array.isArray : (arg) => Array.isArray(arg) && uniformItems(arg, item);
  }
  if (symbols === 'asnblfom') return () => true;
  if (symbols === 'sm') return (arg) => arg === undefined || typeof arg === 'string';
  if (symbols === 'nm') return (arg) => arg === undefined || typeof arg === 'number';
  if (symbols === 'bm') return (arg) => arg === undefined || typeof arg === 'boolean';
  return (arg) => symbols.indexOf(symbolOf(arg)) !== -1;
}

export function uniformItems(items: unknown[], symbol: string): boolean {
  for (let i = 0; i < items.length; i++) if (symbolOf(items[i]) !== symbol) return false;
  return true;
}

const cache = new Map<string, Signature>();

export function parseSignature(signature: string): Signature {
  let parsed = cache.get(signature);
  if (!parsed) {
    parsed = build(signature);
    cache.set(signature, parsed);
  }
  return parsed;
}

function build(signature: string): Signature {
  const params: Param[] = [];
  let param = {} as Param;
  let prevParam = param;
  const next = () => {
    params.push(param);
    prevParam = param;
    param = {} as Param;
  };
  for (let position = 1; position < signature.length; position++) {
    const symbol = signature.charAt(position);
    if (symbol === ':') break;
    switch (symbol) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.regex = `[${symbol}m]`;
        param.type = symbol;
        next();
        break;
      case 'a':
        param.regex = '[asnblfom]';
        param.type = symbol;
        param.array = true;
        next();
        break;
      case 'f':
        param.regex = 'f';
        param.type = symbol;
        next();
        break;
      case 'j':
        param.regex = '[asnblom]';
        param.type = symbol;
        next();
        break;
      case 'x':
        param.regex = '[asnblfom]';
        param.type = symbol;
        next();
        break;
      case '-':
        prevParam.context = true;
        prevParam.contextRegex = new RegExp(prevParam.regex);
        prevParam.regex += '?';
        break;
      case '?':
      case '+':
        prevParam.regex += symbol;
        break;
      case '(': {
        const end = closing(signature, position, '(', ')');
        const choice = signature.substring(position + 1, end);
        // Parameterised choices are rejected by the parser before we ever see them.
        param.regex = `[${choice}m]`;
        param.type = `(${choice})`;
        position = end;
        next();
        break;
      }
      case '<':
        if (prevParam.type === 'a' || prevParam.type === 'f') {
          const end = closing(signature, position, '<', '>');
          prevParam.subtype = signature.substring(position + 1, end);
          position = end;
        }
        break;
    }
  }
  const regex = new RegExp('^' + params.map((p) => `(${p.regex})`).join('') + '$');
  const fastParts = fastPath(params);
  const fast = fastParts?.check;

  const invalid = (args: unknown[], supplied: string): never => {
    let partial = '^';
    let goodTo = 0;
    for (const p of params) {
      partial += p.regex;
      const match = supplied.match(partial);
      if (match === null) throw fault('T0410', { value: args[goodTo], index: goodTo + 1 });
      goodTo = match[0].length;
    }
    throw fault('T0410', { value: args[goodTo], index: goodTo + 1 });
  };

  return {
    definition: signature,
    shape: fastParts?.shape,
    takes: (args) => fast !== undefined && fast(args),
    validate(args: unknown[], context: unknown): unknown[] {
      if (fast !== undefined && fast(args)) return args;
      let supplied = '';
      for (let i = 0; i < args.length; i++) supplied += symbolOf(args[i]);
      const isValid = regex.exec(supplied);
      if (!isValid) return invalid(args, supplied);
      const validated: unknown[] = [];
      let argIndex = 0;
      for (let index = 0; index < params.length; index++) {
        const p = params[index];
        const match = isValid[index + 1];
        if (match === '') {
          if (p.context && p.contextRegex) {
            if (!p.contextRegex.test(symbolOf(context))) throw fault('T0411', { value: context, index: argIndex + 1 });
            validated.push(context);
          } else {
            validated.push(args[argIndex]);
            argIndex++;
          }
          continue;
        }
        for (const single of match) {
          let arg: any = args[argIndex];
          if (p.type === 'a') {
            if (single === 'm') {
              arg = undefined;
            } else {
              let arrayOK = true;
              if (p.subtype !== undefined) {
                if (single !== 'a' && match !== p.subtype) {
                  arrayOK = false;
                } else if (single === 'a' && arg.length > 0) {
                  const itemType = symbolOf(arg[0]);
                  if (itemType !== p.subtype.charAt(0)) arrayOK = false;
                  else arrayOK = (arg as unknown[]).every((v) => symbolOf(v) === itemType);
                }
              }
              if (!arrayOK) throw fault('T0412', { value: arg, index: argIndex + 1, type: ARRAY_OF[p.subtype as string] });
              if (single !== 'a') arg = [arg];
            }
          }
          validated.push(arg);
          argIndex++;
        }
      }
      return validated;
    },
  };
}
