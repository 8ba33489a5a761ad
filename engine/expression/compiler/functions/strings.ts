/** Text functions. Lengths and offsets count code points, not UTF-16 units, as JSONata does. */
import { fault } from '../faults.js';
import { stringify } from '../values.js';
import { define } from './define.js';

function chars(str: string): string[] {
  return Array.from(str);
}

export function substring(str: string | undefined, start: number, length?: number): string | undefined {
  if (str === undefined) return undefined;
  const all = chars(str);
  const strLength = all.length;
  if (strLength + start < 0) start = 0;
  if (length !== undefined) {
    if (length <= 0) return '';
    const end = start >= 0 ? start + length : strLength + start + length;
    return all.slice(start, end).join('');
  }
  return all.slice(start).join('');
}

function length(str: string | undefined): number | undefined {
  return str === undefined ? undefined : chars(str).length;
}

function trim(str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  let result = str.replace(/[ \t\n\r]+/gm, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  return result;
}

function pad(str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  if (char === undefined || char.length === 0) char = ' ';
  width = Math.trunc(width);
  const padLength = Math.abs(width) - (length(str) as number);
  // Not `<= 0`: a missing width makes it NaN, which the interpreter also leaves unpadded.
  if (!(padLength > 0)) return str;
  let padding = new Array(padLength + 1).join(char);
  if (char.length > 1) padding = substring(padding, 0, padLength) as string;
  return width > 0 ? str + padding : padding + str;
}

function urlCoder(name: string, coder: (s: string) => string) {
  return define(name, '<s-:s>', 1, ([str]) => {
    if (str === undefined) return undefined;
    try {
      return coder(str);
    } catch {
      throw fault('D3140', { value: str, functionName: name });
    }
  });
}

export const stringFunctions = [
  define('string', '<x-b?:s>', 1, ([arg, prettify]) => stringify(arg, prettify === true), 2),
  define('substring', '<s-nn?:s>', 3, ([str, start, len]) => substring(str, start, len)),
  define('substringBefore', '<s-s:s>', 2, ([str, chars]) => {
    if (str === undefined) return undefined;
    const pos = (str as string).indexOf(chars);
    return pos > -1 ? (str as string).substring(0, pos) : str;
  }),
  define('substringAfter', '<s-s:s>', 2, ([str, chars]) => {
    if (str === undefined) return undefined;
    const pos = (str as string).indexOf(chars);
    return pos > -1 ? (str as string).substring(pos + (chars as string).length) : str;
  }),
  define('lowercase', '<s-:s>', 1, ([str]) => (str === undefined ? undefined : (str as string).toLowerCase())),
  define('uppercase', '<s-:s>', 1, ([str]) => (str === undefined ? undefined : (str as string).toUpperCase())),
  define('length', '<s-:n>', 1, ([str]) => length(str)),
  define('trim', '<s-:s>', 1, ([str]) => trim(str)),
  define('pad', '<s-ns?:s>', 3, ([str, width, char]) => pad(str, width, char)),
  define('join', '<a<s>s?:s>', 2, ([strs, separator]) => (strs === undefined ? undefined : (strs as string[]).join(separator ?? ''))),
  define('base64encode', '<s-:s>', 1, ([str]) => (str === undefined ? undefined : Buffer.from(str, 'binary').toString('base64'))),
  define('base64decode', '<s-:s>', 1, ([str]) => (str === undefined ? undefined : Buffer.from(str, 'base64').toString('binary'))),
  urlCoder('encodeUrlComponent', encodeURIComponent),
  urlCoder('encodeUrl', encodeURI),
  urlCoder('decodeUrlComponent', decodeURIComponent),
  urlCoder('decodeUrl', decodeURI),
];
