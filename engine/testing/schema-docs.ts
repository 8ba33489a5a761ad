import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../package-root.js';

/**
 * The field-by-field reference in docs/authoring.md, generated from the meta-schemas' descriptions
 * and examples so the docs cannot drift from what the loader enforces. A test fails when the
 * committed section differs from what this renders; `npx tsx engine/testing/schema-docs.ts --write`
 * regenerates it.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  examples?: unknown[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  definitions?: Record<string, Schema>;
  title?: string;
};

export const BEGIN_MARKER = '<!-- BEGIN GENERATED: field reference (npx tsx engine/testing/schema-docs.ts --write) -->';
export const END_MARKER = '<!-- END GENERATED -->';

const DOCUMENTS: { file: string; heading: string }[] = [
  { file: 'integration.schema.json', heading: 'Integration (`integrations/<name>/integration.yaml`)' },
  { file: 'operation.schema.json', heading: 'Operation (`integrations/<name>/<resource>.<method>.yaml`)' },
  { file: 'fixture.schema.json', heading: 'Fixture (`integrations/<name>/tests/<resource>.<method>.<case>.yaml`)' },
  { file: 'unified-api.schema.json', heading: 'Unified model catalogue (`schemas/unified/<model>/api.json`)' },
];

export function renderSchemaReference(schemasDir: string): string {
  const docs = new Map<string, Schema>();
  for (const d of DOCUMENTS) docs.set(d.file, JSON.parse(readFileSync(path.join(schemasDir, 'definition', d.file), 'utf8')) as Schema);
  const out: string[] = [];
  const rendered = new Map<string, string>();
  for (const d of DOCUMENTS) {
    const root = docs.get(d.file)!;
    out.push(`### ${d.heading}`, '', paragraph(root.description), '');
    out.push(...renderFields(root, { docs, file: d.file, depth: 0, seen: new Set(), rendered, where: d.heading.split(' (')[0] }));
    out.push('');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}

interface Ctx {
  docs: Map<string, Schema>;
  file: string;
  depth: number;
  /** Definitions being expanded on this branch, so recursive ones are named instead of expanded again. */
  seen: Set<string>;
  /** Definitions already written out (shared across documents), by the field that showed them. */
  rendered: Map<string, string>;
  /** The field being rendered, for "same as" references. */
  where: string;
}

function renderFields(schema: Schema, ctx: Ctx): string[] {
  const { schema: s, ctx: c } = resolve(schema, ctx);
  const out: string[] = [];
  const required = new Set(s.required ?? []);
  for (const [name, raw] of Object.entries(s.properties ?? {})) {
    if (name === '$schema') continue;
    out.push(...renderField(`\`${name}\``, raw, required.has(name), c));
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    out.push(...renderField('each `<name>`', s.additionalProperties, false, c));
  }
  return out;
}

function renderField(label: string, raw: Schema, required: boolean, ctx: Ctx): string[] {
  const { schema, ctx: inner, ref } = resolve(raw, ctx);
  const indent = '  '.repeat(ctx.depth);
  const description = raw.description ?? schema.description;
  const parts = [`${indent}- **${label}** (${typeLabel(schema, inner)}${required ? ', required' : ''})`];
  if (description) parts.push(` — ${oneLine(description)}`);
  const example = schema.examples?.[0] ?? raw.examples?.[0];
  const shown = example === undefined ? undefined : JSON.stringify(example);
  if (shown !== undefined && shown.length <= 100) parts.push(` Example: \`${shown}\`.`);
  const out = [parts.join('')];
  if (ref && inner.seen.has(ref)) return out;
  const nested = schema.oneOf || schema.anyOf || schema.properties;
  const where = `${ctx.where} › ${label.replace(/`/g, '')}`;
  if (ref && nested) {
    const shown = ctx.rendered.get(ref);
    if (shown) {
      out[0] += ` Same fields as ${shown} above.`;
      return out;
    }
    ctx.rendered.set(ref, `\`${where.split(' › ').slice(1).join('.')}\` in ${where.split(' › ')[0]}`);
  }
  const next: Ctx = { ...inner, depth: ctx.depth + 1, seen: ref ? new Set([...inner.seen, ref]) : inner.seen, where };
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    for (const variant of variants) {
      const v = resolve(variant, next);
      const tag = Object.entries(v.schema.properties ?? {}).find(([, p]) => p.const !== undefined);
      const name = tag ? `\`${tag[0]}: ${String(tag[1].const)}\`` : 'variant';
      out.push(`${'  '.repeat(next.depth)}- ${name} — ${oneLine(v.schema.description ?? '')}`);
      out.push(...renderFields(v.schema, { ...v.ctx, depth: next.depth + 1, seen: next.seen }).filter((l) => !tag || !l.includes(`**\`${tag[0]}\`**`)));
    }
  } else if (schema.properties || (schema.additionalProperties && typeof schema.additionalProperties === 'object')) {
    out.push(...renderFields(schema, next));
  } else if (schema.items) {
    const item = resolve(schema.items, next);
    const itemRef = item.ref;
    if (!(itemRef && next.seen.has(itemRef)) && (item.schema.properties || item.schema.oneOf)) {
      if (item.schema.oneOf) out.push(...renderField('each item', schema.items, false, { ...item.ctx, depth: next.depth, seen: next.seen }));
      else out.push(...renderFields(item.schema, { ...item.ctx, depth: next.depth, seen: itemRef ? new Set([...next.seen, itemRef]) : next.seen }));
    }
  }
  return out;
}

function resolve(schema: Schema, ctx: Ctx): { schema: Schema; ctx: Ctx; ref?: string } {
  if (!schema.$ref) return { schema, ctx };
  const [file, pointer] = schema.$ref.split('#');
  const docFile = file || ctx.file;
  const doc = ctx.docs.get(docFile);
  if (!doc) return { schema, ctx };
  const target = (pointer ?? '')
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc) as Schema | undefined;
  if (!target) return { schema, ctx };
  const merged: Schema = { ...target, ...(schema.description ? { description: schema.description } : {}) };
  return { schema: merged, ctx: { ...ctx, file: docFile }, ref: `${docFile}#${pointer}` };
}

function typeLabel(schema: Schema, ctx: Ctx): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return `one of ${schema.enum.map((e) => `\`${JSON.stringify(e)}\``).join(', ')}`;
  if (schema.oneOf || schema.anyOf) return 'one of the variants below';
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 1 && types[0] === 'array' && schema.items) {
    const item = resolve(schema.items, ctx).schema;
    return `list of ${item.properties || item.oneOf ? 'objects' : typeLabel(item, ctx)}`;
  }
  const names = types.map((t) => (t === 'object' ? 'mapping' : t === 'array' ? 'list' : t));
  let label = names.join(' or ') || 'any JSON value';
  if (schema.format) label += `, ${schema.format}`;
  return label;
}

function paragraph(text: string | undefined): string {
  return (text ?? '').trim();
}

function oneLine(text: string): string {
  return text.replace(/\s*\n+\s*/g, ' ').trim();
}

/** The doc with its generated section replaced by a fresh rendering. */
export function refreshDoc(doc: string, reference: string): string {
  const start = doc.indexOf(BEGIN_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`the doc has no generated section (${BEGIN_MARKER} … ${END_MARKER})`);
  return `${doc.slice(0, start + BEGIN_MARKER.length)}\n\n${reference}\n${doc.slice(end)}`;
}

function main(argv: string[]): number {
  const root = packageRoot();
  const docPath = path.join(root, 'docs', 'authoring.md');
  const current = readFileSync(docPath, 'utf8');
  const fresh = refreshDoc(current, renderSchemaReference(path.join(root, 'schemas')));
  if (argv.includes('--write')) {
    if (fresh !== current) writeFileSync(docPath, fresh);
    process.stdout.write(fresh === current ? 'docs/authoring.md is up to date\n' : 'docs/authoring.md regenerated\n');
    return 0;
  }
  process.stdout.write(fresh === current ? 'docs/authoring.md is up to date\n' : 'docs/authoring.md is stale: run with --write\n');
  return fresh === current ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
