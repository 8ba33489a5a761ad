import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../engine/cli/command.js';
import * as explainCommand from '../../engine/cli/commands/explain.js';
import * as testCommand from '../../engine/cli/commands/test.js';
import * as validateCommand from '../../engine/cli/commands/validate.js';
import { schemasDir } from '../support/paths.js';
import { useTempIntegrations, yaml } from '../support/temp-integrations.js';

/**
 * A throwaway provider ("acme", a team directory) written the way a new author would, so tests can
 * break it one line at a time and read what the tools say.
 */
export const acmeIntegration = yaml`
  # yaml-language-server: $schema=../../schemas/definition/integration.schema.json
  name: acme
  label: Acme Teams
  base_url: https://{host}/v2
  context_schema:
    type: object
    additionalProperties: false
    required: [host]
    properties:
      host:
        type: string
        format: host-port
        examples: [api.acme.test]
  credentials_schema:
    type: object
    properties:
      api_key:
        type: string
        minLength: 1
  auth:
    - type: header
      header: X-Api-Key
      credential: api_key
  errors:
    message: error.message
    code: error.code
`;

export const acmeGroupsGet = yaml`
  # yaml-language-server: $schema=../../schemas/definition/operation.schema.json
  model: user-directory
  resource: groups
  method: get
  steps:
    - name: get_team
      method: GET
      path: /teams/{teamId}
      path_params:
        teamId: query.id
  response:
    mapping: |
      {
        "id": team_id,
        "name": title,
        "description": summary,
        "group_type": "team"
      }
`;

export const acmeFixture = yaml`
  # yaml-language-server: $schema=../../../schemas/definition/fixture.schema.json
  account:
    context:
      host: api.acme.test
  request:
    query:
      id: t-42
  exchanges:
    - step: get_team
      request:
        method: GET
        path: /v2/teams/t-42
        headers:
          x-api-key: test-api_key
      response:
        status: 200
        body:
          team_id: t-42
          title: Core Team
          summary: null
  expect:
    body:
      id: t-42
      name: Core Team
      description: null
      group_type: team
      remote_data:
        team_id: t-42
        title: Core Team
        summary: null
`;

export const FIXTURE = 'integrations/acme/tests/groups.get.success.yaml';
export const OPERATION = 'integrations/acme/groups.get.yaml';

/** A project folder (integrations/acme/…) in a temp dir; files override or add to the valid provider. */
export function useAcmeProject(): (files?: Record<string, string | null>) => string {
  const make = useTempIntegrations();
  return (files = {}) => {
    const all: Record<string, string> = {
      'integrations/acme/integration.yaml': acmeIntegration,
      [OPERATION]: acmeGroupsGet,
      [FIXTURE]: acmeFixture,
    };
    for (const [k, v] of Object.entries(files)) {
      if (v === null) delete all[k];
      else all[k] = v;
    }
    return make(all);
  };
}

export interface Captured {
  io: CommandIO;
  stdout(): string;
  stderr(): string;
}

export function capture(cwd: string): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  return { io: { stdout, stderr, env: {}, cwd }, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** Runs a CLI command in-process against the repo's schemas. */
export async function cli(command: 'validate' | 'test' | 'explain', cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const module = { validate: validateCommand, test: testCommand, explain: explainCommand }[command];
  const c = capture(cwd);
  const code = await module.run([...args, '--schemas-dir', schemasDir], c.io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

/** `file:line:col` of the first occurrence of `needle` in `text` (1-based), as editors and the tools count. */
export function at(file: string, text: string, needle: string, nth = 1): string {
  let index = -1;
  for (let i = 0; i < nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" not found in ${file}`);
  }
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  return `${file}:${line}:${col}`;
}

export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, index).split('\n').length;
}

export { yaml };
