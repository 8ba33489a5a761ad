import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYamlSource, positionAt, type PathSegment, type YamlSource } from '../loader/yaml-source.js';

/**
 * `file:line:col` of a field in a definition, for hints that say where to fix a failing fixture
 * (loaded definitions keep their file names, not their YAML trees). Same reader as the loader.
 */
export class DefinitionLocator {
  private readonly sources = new Map<string, YamlSource | undefined>();

  constructor(private readonly displayRoot: string) {}

  at(file: string, at: PathSegment[]): string {
    const pos = this.position(file, at);
    return pos ? `${file}:${pos.line}:${pos.col}` : file;
  }

  position(file: string, at: PathSegment[]): { line: number; col: number } | undefined {
    const source = this.source(file);
    return source ? positionAt(source, at) : undefined;
  }

  private source(file: string): YamlSource | undefined {
    if (!this.sources.has(file)) {
      try {
        this.sources.set(file, parseYamlSource(file, readFileSync(path.resolve(this.displayRoot, file), 'utf8')).source);
      } catch {
        this.sources.set(file, undefined);
      }
    }
    return this.sources.get(file);
  }
}
