import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DefinitionIssue } from '../errors.js';
import { formatPath, pointerToPath, positionAt, type PathSegment, type YamlSource } from './yaml-source.js';
import { closest } from './spelling.js';

/**
 * Validates a parsed YAML/JSON source against a compiled meta-schema and places every ajv error at
 * the file:line:col of the offending node, with a hint that says how to fix it.
 */
export function validateAgainst(source: YamlSource, validate: ValidateFunction, rootSchema: object): DefinitionIssue[] {
  if (validate(source.value)) return [];
  return dedupe((validate.errors ?? []).filter((e) => !isNoise(e, validate.errors ?? [])).map((e) => toIssue(source, e, rootSchema)));
}

function isNoise(err: ErrorObject, all: ErrorObject[]): boolean {
  // `if`/`oneOf` summary errors repeat what a more precise error at the same place already says.
  if (err.keyword === 'if') return true;
  if (err.keyword === 'oneOf' || err.keyword === 'anyOf') {
    return all.some((o) => o !== err && o.instancePath.startsWith(err.instancePath) && o.keyword !== err.keyword);
  }
  return false;
}

function dedupe(issues: DefinitionIssue[]): DefinitionIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.line}:${i.col}:${i.code}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function toIssue(source: YamlSource, err: ErrorObject, rootSchema: object): DefinitionIssue {
  const path = pointerToPath(err.instancePath);
  const base = { file: source.file, severity: 'error' as const };
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const full = [...path, extra];
      const allowed = allowedProperties(err.parentSchema);
      const guess = closest(extra, allowed);
      return {
        ...base,
        code: 'schema.unknown-field',
        ...positionAt(source, full, { key: true }),
        path: formatPath(full),
        message: `unknown field \`${extra}\``,
        hint: guess
          ? `Did you mean \`${guess}\`?`
          : allowed.length
            ? `Allowed fields here: ${allowed.join(', ')}.`
            : 'Remove this field.',
      };
    }
    case 'required': {
      const missing = String(p.missingProperty);
      const description = describeProperty(err.parentSchema, missing);
      return {
        ...base,
        code: 'schema.missing-field',
        ...positionAt(source, path),
        path: formatPath(path),
        message: `missing required field \`${missing}\`${path.length ? ` in ${formatPath(path)}` : ''}`,
        hint: `Add \`${missing}:\`${description ? ` (${description})` : ''}.`,
      };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const actual = valueAt(source.value, path);
      const guess = typeof actual === 'string' ? closest(actual, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
      return {
        ...base,
        code: 'schema.enum',
        ...positionAt(source, path),
        path: formatPath(path),
        message: `${JSON.stringify(actual)} is not allowed here`,
        hint: `${guess ? `Did you mean ${JSON.stringify(guess)}? ` : ''}Use one of: ${allowed.map((a) => JSON.stringify(a)).join(', ')}.`,
      };
    }
    case 'const':
      return {
        ...base,
        code: 'schema.const',
        ...positionAt(source, path),
        path: formatPath(path),
        message: `must be ${JSON.stringify(p.allowedValue)}`,
        hint: `Write ${JSON.stringify(p.allowedValue)}.`,
      };
    case 'type':
      return {
        ...base,
        code: 'schema.type',
        ...positionAt(source, path),
        path: formatPath(path),
        message: `must be ${article(String(p.type))} (found ${typeName(valueAt(source.value, path))})`,
        hint: hintForType(String(p.type)),
      };
    case 'discriminator': {
      const tag = String(p.tag);
      const mapping = discriminatorValues(err.parentSchema);
      const actual = valueAt(source.value, [...path, tag]);
      const guess = typeof actual === 'string' ? closest(actual, mapping) : undefined;
      return {
        ...base,
        code: 'schema.discriminator',
        ...positionAt(source, [...path, tag]),
        path: formatPath([...path, tag]),
        message: actual === undefined ? `missing \`${tag}\`` : `unknown ${tag} ${JSON.stringify(actual)}`,
        hint: `${guess ? `Did you mean ${JSON.stringify(guess)}? ` : ''}\`${tag}\` must be one of: ${mapping.join(', ')}.`,
      };
    }
    case 'pattern':
      return {
        ...base,
        code: 'schema.pattern',
        ...positionAt(source, path),
        path: formatPath(path),
        message: `${JSON.stringify(valueAt(source.value, path))} does not match the expected form`,
        hint: patternHint(err.parentSchema, String(p.pattern)),
      };
    case 'propertyNames': {
      const name = String(p.propertyName);
      const full = [...path, name];
      return {
        ...base,
        code: 'schema.property-name',
        ...positionAt(source, full, { key: true }),
        path: formatPath(full),
        message: `invalid name \`${name}\``,
        hint: 'Use letters, digits and underscores, starting with a letter.',
      };
    }
    default:
      return {
        ...base,
        code: `schema.${err.keyword}`,
        ...positionAt(source, path),
        path: formatPath(path),
        message: err.message ?? 'invalid value',
        hint: describeSchema(err.parentSchema) ?? 'See the field description in the schema.',
      };
  }
  void rootSchema;
}

function allowedProperties(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).filter((k) => k !== '$schema') : [];
}

function describeProperty(schema: unknown, name: string): string | undefined {
  const prop = (schema as { properties?: Record<string, { description?: string }> } | undefined)?.properties?.[name];
  return prop?.description ? firstSentence(prop.description) : undefined;
}

function describeSchema(schema: unknown): string | undefined {
  const d = (schema as { description?: string } | undefined)?.description;
  return d ? firstSentence(d) : undefined;
}

function discriminatorValues(schema: unknown): string[] {
  const s = schema as { discriminator?: { propertyName: string }; oneOf?: { properties?: Record<string, { const?: string }> }[] };
  const tag = s?.discriminator?.propertyName;
  if (!tag) return [];
  return (s.oneOf ?? []).map((b) => b.properties?.[tag]?.const).filter((v): v is string => typeof v === 'string');
}

function patternHint(schema: unknown, pattern: string): string {
  const s = schema as { description?: string; examples?: unknown[] } | undefined;
  const example = s?.examples?.[0];
  return `${s?.description ? firstSentence(s.description) + ' ' : ''}${example !== undefined ? `Example: ${JSON.stringify(example)}. ` : ''}(pattern ${pattern})`;
}

function firstSentence(text: string): string {
  const m = text.match(/^(.+?[.!?])(\s|$)/s);
  return (m ? m[1] : text).replace(/\s+/g, ' ');
}

export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping (key: value pairs)',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function hintForType(type: string): string {
  if (type === 'string') return 'Quote the value, or for a JSONata expression use a block scalar (`|`).';
  if (type === 'object') return 'Indent the nested keys under this field.';
  if (type === 'array') return 'Write a list: one `- item` per line, or `[a, b]`.';
  return `Write ${article(type)}.`;
}
