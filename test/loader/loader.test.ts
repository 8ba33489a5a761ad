import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, type DefinitionIssue } from '../../engine/errors.js';
import { JsonataInterpreter } from '../../engine/expression/index.js';
import { loadDefinitions } from '../../engine/loader/index.js';
import { integrationsDir, schemasDir } from '../support/paths.js';
import { useTempIntegrations, yaml } from '../support/temp-integrations.js';

const oktaIntegration = readFileSync(path.join(integrationsDir, 'okta/integration.yaml'), 'utf8');
const makeDir = useTempIntegrations();

async function load(files: Record<string, string>) {
  const dir = makeDir(files);
  const result = await loadDefinitions({ integrationsDir: dir, schemasDir, compiler: new JsonataInterpreter(), displayRoot: dir });
  return { ...result, errors: result.issues.filter((i) => i.severity !== 'warning') };
}

function pick(issue: DefinitionIssue) {
  return `${issue.file}:${issue.line}:${issue.col} ${issue.code}`;
}

/** A minimal valid operation; tests replace one line at a time. */
const op = yaml`
  # yaml-language-server: $schema=../../schemas/definition/operation.schema.json
  model: user-directory
  resource: groups
  method: add
  requires:
    body: [group_id, user_id]
  steps:
    - name: add_member
      method: PUT
      path: /api/v1/groups/{groupId}/users/{userId}
      path_params:
        groupId: body.group_id
        userId: body.user_id
      success: [204]
    - name: get_group
      method: GET
      path: /api/v1/groups/{groupId}
      path_params:
        groupId: body.group_id
  response:
    step: get_group
    mapping: |
      {
        "id": id,
        "name": profile.name
      }
`;

describe('loader', () => {
  it('loads the shipped definitions with no issues', async () => {
    const result = await loadDefinitions({ integrationsDir, schemasDir, compiler: new JsonataInterpreter() });
    expect(result.issues.map(formatIssue)).toEqual([]);
    const okta = result.definitions.integrations.get('okta')!;
    expect([...okta.operations.keys()]).toContain('user-directory/groups/add');
  });

  it('loads a minimal valid operation', async () => {
    const { errors, definitions } = await load({ 'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'), 'acme/groups.add.yaml': op });
    expect(errors.map(formatIssue)).toEqual([]);
    expect(definitions.integrations.get('acme')!.operations.size).toBe(1);
  });

  it('places a misspelt field on its key and suggests the right name', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('    method: PUT', '    metod: PUT'),
    });
    const unknown = errors.find((e) => e.code === 'schema.unknown-field')!;
    expect(pick(unknown)).toBe('acme/groups.add.yaml:9:5 schema.unknown-field');
    expect(unknown.path).toBe('steps[0].metod');
    expect(unknown.hint).toBe('Did you mean `method`?');
    // The missing `method` is reported too, in the same load, at the step.
    const missing = errors.find((e) => e.code === 'schema.missing-field')!;
    expect(pick(missing)).toBe('acme/groups.add.yaml:8:5 schema.missing-field');
    expect(missing.message).toContain('`method`');
  });

  it('reports a JSONata syntax error at the file line and column of the bad token', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('"name": profile.name', '"name": profile.name profile'),
    });
    expect(errors).toHaveLength(1);
    // Line 25 of the file is `      "name": profile.name profile`; the stray token starts at column 28.
    expect(pick(errors[0])).toBe('acme/groups.add.yaml:25:28 jsonata.syntax');
    expect(errors[0].path).toBe('response.mapping');
    expect(errors[0].message).toMatch(/S0202/);
    expect(errors[0].hint).toMatch(/comma/);
  });

  it('reports a JSONata syntax error inside a single-line expression', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('      userId: body.user_id', '      userId: body.user_id +'),
    });
    expect(errors.map(pick)).toEqual(['acme/groups.add.yaml:13:28 jsonata.syntax']);
    expect(errors[0].path).toBe('steps[0].path_params.userId');
  });

  it('reports an unbound path parameter and an unused binding, with a suggestion', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('      userId: body.user_id', '      userID: body.user_id'),
    });
    const codes = errors.map(pick);
    expect(codes).toContain('acme/groups.add.yaml:10:11 path.unbound-param');
    expect(codes).toContain('acme/groups.add.yaml:13:7 path.unused-param');
    const unbound = errors.find((e) => e.code === 'path.unbound-param')!;
    expect(unbound.message).toBe('path parameter {userId} has no value in path_params');
    expect(unbound.hint).toContain('Did you mean {userID}?');
  });

  it('names the unknown method of a unified resource with a did-you-mean', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('method: add', 'method: ad'),
    });
    const e = errors.find((i) => i.code === 'operation.unknown-method')!;
    expect(pick(e)).toBe('acme/groups.add.yaml:4:9 operation.unknown-method');
    expect(e.hint).toBe('Did you mean "add"?');
  });

  it('rejects a mapping that reads or writes fields the unified schemas lack', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('groupId: body.group_id\nresponse', 'groupId: body.groupid\nresponse').replace('"name": profile.name', '"nmae": profile.name'),
    });
    const read = errors.find((e) => e.code === 'mapping.unknown-field')!;
    expect(pick(read)).toBe('acme/groups.add.yaml:19:21 mapping.unknown-field');
    expect(read.hint).toBe('Did you mean `group_id`?');
    const write = errors.find((e) => e.code === 'mapping.unknown-output-field')!;
    expect(pick(write)).toBe('acme/groups.add.yaml:25:7 mapping.unknown-output-field');
    expect(write.hint).toBe('Did you mean `name`?');
  });

  it('names the allowed values of an enum and of a discriminated union', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme').replace('  - type: bearer', '  - type: beare'),
      'acme/groups.add.yaml': op,
    });
    const auth = errors.find((e) => e.code === 'schema.discriminator')!;
    expect(pick(auth)).toBe('acme/integration.yaml:38:11 schema.discriminator');
    expect(auth.hint).toContain('Did you mean "bearer"?');

    const again = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('method: PUT', 'method: PUTT'),
    });
    const bad = again.errors.find((e) => e.code === 'schema.enum')!;
    expect(pick(bad)).toBe('acme/groups.add.yaml:9:13 schema.enum');
    expect(bad.hint).toContain('Did you mean "PUT"?');
  });

  it('collects errors from every file in one load', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme').replace('label: Okta', 'labl: Okta'),
      'beta/integration.yaml': oktaIntegration.replace('name: okta', 'name: beta'),
      'beta/groups.add.yaml': op.replace('    success: [204]', '    success: [204]\n    retries: 3'),
      'gamma/integration.yaml': oktaIntegration.replace('name: okta', 'name: gamma').replace('reset_format: epoch_seconds', 'reset_format: [epoch'),
    });
    const files = new Set(errors.map((e) => e.file));
    expect(files).toEqual(new Set(['acme/integration.yaml', 'beta/groups.add.yaml', 'gamma/integration.yaml']));
    expect(errors.find((e) => e.file === 'gamma/integration.yaml')!.code).toMatch(/^yaml\./);
  });

  it('checks the integration name against its folder and the base URL against the context schema', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('base_url: https://{domain}', 'base_url: https://{domain}/{tenant}'),
    });
    expect(errors.map(pick)).toEqual(['acme/integration.yaml:2:7 integration.name', 'acme/integration.yaml:6:11 integration.base-url-param']);
  });

  it('lets an integration extend another: fields and operations it leaves out are inherited', async () => {
    const { errors, definitions } = await load({
      'base/integration.yaml': oktaIntegration.replace('name: okta', 'name: base'),
      'base/groups.add.yaml': op,
      'vendor/integration.yaml': yaml`
        # yaml-language-server: $schema=../../schemas/definition/integration.schema.json
        name: vendor
        label: Vendor
        extends: base
        base_url: https://{domain}/vendor-api
      `,
    });
    expect(errors.map(formatIssue)).toEqual([]);
    const vendor = definitions.integrations.get('vendor')!;
    expect(vendor.spec.label).toBe('Vendor');
    expect(vendor.spec.auth).toEqual(definitions.integrations.get('base')!.spec.auth);
    expect(vendor.operations.get('user-directory/groups/add')!.integration).toBe('vendor');
  });

  it('names an unknown or looping extends', async () => {
    const child = (name: string, parent: string) => `# yaml-language-server: $schema=../../schemas/definition/integration.schema.json\nname: ${name}\nlabel: ${name}\nextends: ${parent}\n`;
    const { errors } = await load({ 'a/integration.yaml': child('a', 'b'), 'b/integration.yaml': child('b', 'a'), 'c/integration.yaml': child('c', 'bb') });
    expect(errors.map(pick)).toEqual(expect.arrayContaining(['c/integration.yaml:4:10 integration.extends']));
    expect(errors.find((e) => e.file === 'c/integration.yaml')!.hint).toBe('Did you mean "b"?');
    expect(errors.some((e) => /loops/.test(e.message))).toBe(true);
  });

  it('refuses a multi-segment placeholder in a step path', async () => {
    const { errors } = await load({
      'acme/integration.yaml': oktaIntegration.replace('name: okta', 'name: acme'),
      'acme/groups.add.yaml': op.replace('path: /api/v1/groups/{groupId}\n', 'path: /api/v1/groups/{groupId*}\n'),
    });
    expect(errors.map((e) => e.code)).toContain('path.multi-segment');
  });
});

