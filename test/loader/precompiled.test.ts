import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonataInterpreter } from '../../engine/expression/index.js';
import { loadDefinitions } from '../../engine/loader/index.js';
import { jsonSchemaProblem, loadMetaSchemas } from '../../engine/loader/meta-schemas.js';
import { createAjv } from '../../engine/validation/ajv.js';
import { integrationsDir, repoRoot, schemasDir } from '../support/paths.js';
import { useTempIntegrations } from '../support/temp-integrations.js';
import { GENERATED_FILE, precompiledSource } from './precompiled-source.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? (name === 'tests' ? [] : filesUnder(full)) : [full];
  });
}

/** The meta-schemas compiled by ajv now, as loadMetaSchemas did before validators were precompiled. */
function compiledNow() {
  const ajv = createAjv({ strict: true, verbose: true });
  const read = (name: string) => JSON.parse(readFileSync(path.join(schemasDir, 'definition', name), 'utf8')) as object;
  return {
    integration: ajv.compile(read('integration.schema.json')),
    operation: ajv.compile(read('operation.schema.json')),
    unifiedApi: ajv.compile(read('unified-api.schema.json')),
  };
}

/** Every definition file, and each one broken in the ways authors break them. */
function samples(): { kind: 'integration' | 'operation'; name: string; value: unknown }[] {
  const out: { kind: 'integration' | 'operation'; name: string; value: unknown }[] = [];
  for (const file of filesUnder(integrationsDir).filter((f) => f.endsWith('.yaml'))) {
    const value = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const kind = path.basename(file) === 'integration.yaml' ? 'integration' : 'operation';
    const name = path.relative(integrationsDir, file);
    out.push({ kind, name, value });
    const keys = Object.keys(value);
    out.push({ kind, name: `${name} with an unknown field`, value: { ...value, surprise: true } });
    out.push({ kind, name: `${name} without ${keys[0]}`, value: Object.fromEntries(Object.entries(value).slice(1)) });
    out.push({ kind, name: `${name} with every field a number`, value: Object.fromEntries(keys.map((k) => [k, 42])) });
    out.push({ kind, name: `${name} with every field null`, value: Object.fromEntries(keys.map((k) => [k, null])) });
    out.push({ kind, name: `${name} with nested fields emptied`, value: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? [{}] : v && typeof v === 'object' ? { x: 1 } : v])) });
  }
  out.push({ kind: 'integration', name: 'a bad base_url and auth', value: { name: 'x', label: 'X', base_url: 'http://x', auth: [{ type: 'header' }], context_schema: {}, credentials_schema: {} } });
  out.push({ kind: 'operation', name: 'a list', value: [] });
  return out;
}

describe('precompiled definition validators', () => {
  it(`${GENERATED_FILE} is generated from the current meta-schemas and ajv (regenerate: npx tsx test/loader/write-precompiled.ts)`, () => {
    expect(readFileSync(path.join(repoRoot, GENERATED_FILE), 'utf8')).toBe(precompiledSource(schemasDir));
  });

  it('are used for the shipped meta-schemas, and give exactly the errors ajv gives when compiling them now', () => {
    const metas = loadMetaSchemas(schemasDir);
    const reference = compiledNow();
    expect(metas.integration.validate).not.toBe(reference.integration);
    let invalid = 0;
    for (const sample of samples()) {
      const mine = metas[sample.kind].validate;
      const theirs = reference[sample.kind];
      const ok = mine(structuredClone(sample.value));
      expect(theirs(structuredClone(sample.value)), sample.name).toBe(ok);
      expect(mine.errors, sample.name).toEqual(theirs.errors);
      if (!ok) invalid++;
    }
    expect(invalid).toBeGreaterThan(50);
  });

  it('the unified-api meta-schema too', () => {
    const metas = loadMetaSchemas(schemasDir);
    const reference = compiledNow();
    const api = JSON.parse(readFileSync(path.join(schemasDir, 'unified/user-directory/api.json'), 'utf8')) as Record<string, unknown>;
    for (const value of [api, { ...api, model: 3 }, { ...api, resources: { users: { schema: 1 } } }, {}, null]) {
      expect(metas.unifiedApi.validate(value)).toBe(reference.unifiedApi(value));
      expect(metas.unifiedApi.validate.errors).toEqual(reference.unifiedApi.errors);
    }
  });

  describe('a schemas folder whose meta-schemas differ', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'unimap-schemas-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is compiled at load instead, so the change takes effect', () => {
      cpSync(schemasDir, dir, { recursive: true });
      const file = path.join(dir, 'definition', 'integration.schema.json');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, { pattern?: string }> };
      schema.properties.name.pattern = '^only-this$';
      writeFileSync(file, JSON.stringify(schema, null, 2));
      const metas = loadMetaSchemas(dir);
      expect(metas.integration.validate({ ...(parseYaml(readFileSync(path.join(integrationsDir, 'okta/integration.yaml'), 'utf8')) as object) })).toBe(false);
      expect(metas.integration.validate.errors?.map((e) => e.instancePath)).toContain('/name');
    });
  });
});

describe('JSON Schema check at load (validators compile on first use)', () => {
  const ajv = createAjv();
  it.each([
    [{ type: 'object', properties: { a: { type: 'strin' } } }],
    [{ type: 'object', required: 'a' }],
    [{ minLength: -1 }],
    [{ properties: { a: { enum: [] } } }],
    [{ type: ['string', 'string'] }],
    [42],
  ])('reports %j as ajv compile does', (schema) => {
    const problem = jsonSchemaProblem(schema);
    expect(problem).toBeDefined();
    expect(() => ajv.compile(schema as object)).toThrow(problem);
  });

  it('accepts what ajv compiles', () => {
    for (const schema of [{}, true, { type: 'object', additionalProperties: false, required: ['a'], properties: { a: { type: ['string', 'null'], format: 'date-time' } } }]) {
      expect(jsonSchemaProblem(schema)).toBeUndefined();
    }
  });

  const makeDir = useTempIntegrations();
  const integration = (contextSchema: string) =>
    [
      '# yaml-language-server: $schema=../../schemas/definition/integration.schema.json',
      'name: acme',
      'label: Acme',
      'base_url: https://{domain}',
      'context_schema:',
      contextSchema,
      'credentials_schema:',
      '  type: object',
      '  properties:',
      '    token: { type: string }',
      'auth:',
      '  - type: bearer',
      '    credential: token',
      '',
    ].join('\n');

  it('places an invalid context schema at load, as before', async () => {
    const dir = makeDir({ 'acme/integration.yaml': integration('  type: object\n  required: [domain]\n  properties:\n    domain: { type: strng }') });
    const { issues } = await loadDefinitions({ integrationsDir: dir, schemasDir, compiler: new JsonataInterpreter(), displayRoot: dir });
    const found = issues.find((i) => i.code === 'integration.invalid-schema');
    expect(found?.message).toMatch(/^context_schema is not a valid JSON Schema: schema is invalid: data\/properties\/domain\/type must be equal to one of the allowed values/);
  });

  it('compiles a schema with a $ref at load, so a reference that resolves nowhere is reported then', async () => {
    const dir = makeDir({ 'acme/integration.yaml': integration('  type: object\n  required: [domain]\n  properties:\n    domain: { $ref: "#/definitions/nowhere" }') });
    const { issues } = await loadDefinitions({ integrationsDir: dir, schemasDir, compiler: new JsonataInterpreter(), displayRoot: dir });
    expect(issues.find((i) => i.code === 'integration.invalid-schema')?.message).toMatch(/can't resolve reference #\/definitions\/nowhere/);
  });

  it('validators of a loaded integration work and report errors like compiled ones', async () => {
    const dir = makeDir({ 'acme/integration.yaml': integration('  type: object\n  additionalProperties: false\n  required: [domain]\n  properties:\n    domain: { type: string, format: host-port, default: acme.example.com }') });
    const { definitions, issues } = await loadDefinitions({ integrationsDir: dir, schemasDir, compiler: new JsonataInterpreter(), displayRoot: dir });
    expect(issues).toEqual([]);
    const acme = definitions.integrations.get('acme')!;
    const context: Record<string, unknown> = {};
    expect(acme.validateContext(context)).toBe(true);
    expect(context).toEqual({ domain: 'acme.example.com' });
    expect(acme.validateContext({ domain: 'not a host' })).toBe(false);
    expect(acme.validateContext.errors?.[0].message).toBe('must match format "host-port"');
    expect(acme.validateCredentials({ token: 1 })).toBe(false);
    expect(acme.validateContext).toBe(acme.validateContext);
  });
});
