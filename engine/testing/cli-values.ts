import { readFileSync } from 'node:fs';
import path from 'node:path';
import qs from 'qs';

/** Command-line values that carry JSON: inline, or `@file` to read it from a file. */
export function jsonArg(flag: string, value: string, cwd: string): unknown {
  const text = value.startsWith('@') ? readFileSync(path.resolve(cwd, value.slice(1)), 'utf8') : value;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--${flag}: not valid JSON (${(err as Error).message})${value.startsWith('@') ? '' : '; quote it for the shell, e.g. --' + flag + ` '{"a":1}'`}`);
  }
}

export function objectArg(flag: string, value: string, cwd: string): Record<string, unknown> {
  const parsed = jsonArg(flag, value, cwd);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--${flag} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** `a=1&remote_query[x]=2&truto_exclude_fields[]=remote_data`, parsed the way the server parses a query string. */
export function queryArg(value: string): Record<string, unknown> {
  return qs.parse(value.replace(/^\?/, ''), { depth: 5, arrayLimit: 100 }) as Record<string, unknown>;
}

/** `step=<json|@file>` or `step=<status>:<json|@file>`. */
export function responseArg(value: string, cwd: string): { step: string; status?: number; body: unknown } {
  const m = value.match(/^([a-z][a-z0-9_]*)=(?:(\d{3}):)?(.*)$/s);
  if (!m) throw new UsageError(`--response ${value}: write <step>=<json or @file>, optionally with a status: <step>=404:<json or @file>`);
  const body = m[3] === '' ? undefined : jsonArg('response', m[3], cwd);
  return { step: m[1], status: m[2] ? Number(m[2]) : undefined, body };
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
