import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DefinitionIssue } from '../errors.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

/*
 * Definition files are read synchronously: loading is start-up work with nothing to overlap, and
 * a thread-pool round trip per small file left the process idle for a fifth of its start-up.
 */

/** Reads and parses one YAML or JSON file (JSON is read by the YAML parser too, which keeps positions). */
export async function readSource(file: string, displayRoot: string, issues: DefinitionIssue[]): Promise<YamlSource | undefined> {
  const display = displayName(file, displayRoot);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    issues.push({ code: 'file.unreadable', file: display, line: 0, col: 0, path: '', message: `cannot read file: ${(err as Error).message}`, severity: 'error' });
    return undefined;
  }
  const parsed = parseYamlSource(display, text);
  issues.push(...parsed.issues);
  return parsed.source;
}

export function displayName(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
