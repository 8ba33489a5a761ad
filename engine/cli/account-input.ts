/**
 * The context and credentials of a new account, as an operator gives them: inline JSON, `@file`,
 * or `-` for stdin (so secrets need not sit in shell history), then checked against the
 * integration's schemas and base URL before anything is stored.
 *
 * No message here ever contains a value from the input: a credential value is a secret, and a
 * context value is echoed back by nothing but the account listing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import type { LoadedIntegration } from '../definition/loaded.js';
import { resolveBaseUrl, UrlValueError } from '../runtime/url.js';
import { CommandError } from './operator.js';

const MAX_INPUT_BYTES = 1024 * 1024;

export interface InputSources {
  cwd: string;
  stdin: NodeJS.ReadableStream;
}

/** Reads one JSON object argument: `{...}`, `@path` or `-`. `what` names it in errors. */
export async function readJsonArgument(value: string, what: 'context' | 'credentials', sources: InputSources): Promise<Record<string, unknown>> {
  let text: string;
  if (value === '-') {
    text = await readStream(sources.stdin, what);
  } else if (value.startsWith('@')) {
    const file = path.resolve(sources.cwd, value.slice(1));
    try {
      const buffer = await readFile(file);
      if (buffer.length > MAX_INPUT_BYTES) throw new CommandError('invalid_input', `${what} file ${file} is larger than ${MAX_INPUT_BYTES} bytes`);
      text = buffer.toString('utf8');
    } catch (err) {
      if (err instanceof CommandError) throw err;
      throw new CommandError('invalid_input', `cannot read the ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  } else {
    text = value;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text, which for credentials is the secret itself.
    throw new CommandError('invalid_input', `${what} is not valid JSON (give a JSON object, @file or - for stdin)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CommandError('invalid_input', `${what} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

async function readStream(stream: NodeJS.ReadableStream, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new CommandError('invalid_input', `${what} on stdin is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Every problem with the account's input, as `context.domain must match format "host-port"`.
 * The context is checked on a copy with the schema's defaults applied (as calls will see it), and
 * must yield a base URL the runtime accepts: https, or http only to a loopback host.
 */
export function checkAccountInput(integration: LoadedIntegration, context: Record<string, unknown>, credentials: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const withDefaults = structuredClone(context);
  const contextOk = integration.validateContext(withDefaults);
  if (!contextOk) problems.push(...describe('context', integration.validateContext.errors));
  if (!integration.validateCredentials(credentials)) problems.push(...describe('credentials', integration.validateCredentials.errors));
  if (contextOk) {
    try {
      resolveBaseUrl(integration.spec.base_url, withDefaults);
    } catch (err) {
      if (!(err instanceof UrlValueError)) throw err;
      problems.push(`context cannot form the base URL ${integration.spec.base_url}: ${err.message}`);
    }
  }
  return problems;
}

function describe(root: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = [root, ...e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))].join('.');
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'required') return `${at}.${String(p.missingProperty)} is required`;
    if (e.keyword === 'additionalProperties') return `${at}.${String(p.additionalProperty)} is not a known field`;
    return `${at} ${e.message ?? 'is invalid'}`;
  });
}
