import { describe, expect, it } from 'vitest';
import { acmeFixture, acmeGroupsGet, at, cli, FIXTURE, lineOf, OPERATION, useAcmeProject, yaml } from './helpers.js';

/**
 * What a new integration author sees: a provider written from nothing, then broken in the typical
 * ways. Every message must name the right file:line:col and say how to fix it.
 */
const project = useAcmeProject();

describe('a new provider, from nothing to passing fixtures', () => {
  it('validates and passes its fixture', async () => {
    const dir = project();
    const v = await cli('validate', dir, []);
    expect(v.stdout).toBe('ok: checked 1 integration, 1 operation, 1 fixture file (1 case): 0 errors, 0 warnings\n');
    expect(v.code).toBe(0);
    const t = await cli('test', dir, []);
    expect(t.stdout).toMatch(/^PASS integrations\/acme\/tests\/groups\.get\.success\.yaml:2 success \(\d+ ms\)\n1 case: 1 passed, 0 failed\n$/);
    expect(t.code).toBe(0);
  });
});

describe('a broken definition: validate points at the line and says how to fix it', () => {
  it('a misspelt field', async () => {
    const broken = acmeGroupsGet.replace('    method: GET', '    methd: GET');
    const v = await cli('validate', project({ [OPERATION]: broken }), []);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${at(OPERATION, broken, 'methd')} schema.unknown-field unknown field \`methd\` (at steps[0].methd)\n    hint: Did you mean \`method\`?`);
    expect(v.stdout).toContain('1 integration, 0 operations, 1 fixture file (0 cases): 2 errors');

    // `test` shows the same error, and why the fixture did not run.
    const t = await cli('test', project({ [OPERATION]: broken }), []);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(`${at(OPERATION, broken, 'methd')} schema.unknown-field unknown field \`methd\``);
    expect(t.stdout).toContain(`${FIXTURE} fixture.not-run not run: the definition it tests has errors (listed above)`);
  });

  it('bad JSONata: a missing comma between object fields', async () => {
    const broken = acmeGroupsGet.replace('"name": title,', '"name": title');
    const v = await cli('validate', project({ [OPERATION]: broken }), []);
    expect(v.code).toBe(1);
    // The parser stops at the token after the missing comma: the file line and column of `"description"`.
    expect(v.stdout).toContain(`${at(OPERATION, broken, '"description"')} jsonata.syntax JSONata S0202: Expected "}", got "description" (at response.mapping)`);
    expect(v.stdout).toContain('hint: A bracket or brace is not closed where JSONata expected it; check pairs of (), [] and {} and the commas between object fields.');
  });

  it('bad JSONata: an unclosed function call', async () => {
    const broken = acmeGroupsGet.replace('"name": title,', '"name": $uppercase(title,');
    const v = await cli('validate', project({ [OPERATION]: broken }), []);
    // The call is still open when the parser meets the `:` of the next field.
    expect(v.stdout).toContain(`${at(OPERATION, broken, ': summary')} jsonata.syntax JSONata S0202: Expected ")", got ":" (at response.mapping)`);
  });

  it('a path parameter bound under the wrong name', async () => {
    const broken = acmeGroupsGet.replace('teamId: query.id', 'team_id: query.id');
    const v = await cli('validate', project({ [OPERATION]: broken }), []);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${at(OPERATION, broken, '/teams/{teamId}')} path.unbound-param path parameter {teamId} has no value in path_params`);
    expect(v.stdout).toContain('hint: Add path_params.teamId with an expression');
    expect(v.stdout).toContain(`${at(OPERATION, broken, 'team_id:')} path.unused-param path_params.team_id is not used in the path "/teams/{teamId}"`);
    expect(v.stdout).toContain('hint: Did you mean {teamId}?');
  });

  it('a mapping that reads a unified field that does not exist', async () => {
    const broken = acmeGroupsGet.replace('teamId: query.id', 'teamId: query.idd');
    const v = await cli('validate', project({ [OPERATION]: broken }), []);
    expect(v.stdout).toContain(`${at(OPERATION, broken, 'idd')} mapping.unknown-field reads \`idd\`, which the unified query does not have`);
    expect(v.stdout).toContain('hint: Did you mean `id`?');
  });
});

describe('a broken fixture: validate and test point at the fixture line', () => {
  it('a misspelt fixture field', async () => {
    const broken = acmeFixture.replace('exchanges:', 'exchange:');
    const v = await cli('validate', project({ [FIXTURE]: broken }), []);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${at(FIXTURE, broken, 'exchange:')} schema.unknown-field unknown field \`exchange\` (at exchange)\n    hint: Did you mean \`exchanges\`?`);
  });

  it('a fixture whose file name names no operation', async () => {
    const file = 'integrations/acme/tests/groups.gte.success.yaml';
    const v = await cli('validate', project({ [FIXTURE]: null, [file]: acmeFixture }), []);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${file}:2:1 fixture.unknown-operation acme has no definition for groups.gte (from the file name "groups.gte.success")`);
    expect(v.stdout).toContain('hint: Did you mean groups.get (rename the file to groups.get.success.yaml)?');
  });

  it('a fixture naming an integration that does not exist', async () => {
    const broken = acmeFixture.replace('account:', 'integration: acmee\naccount:');
    const v = await cli('validate', project({ [FIXTURE]: broken }), []);
    expect(v.stdout).toContain(`${at(FIXTURE, broken, 'acmee')} fixture.unknown-integration there is no integration "acmee" (at integration)\n    hint: Did you mean "acme"?`);
  });

  it('a fixture expecting a field the unified model does not have', async () => {
    const broken = acmeFixture.replace('    name: Core Team', '    nmae: Core Team');
    const v = await cli('validate', project({ [FIXTURE]: broken }), []);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`${at(FIXTURE, broken, 'nmae')} fixture.unknown-field the unified group has no field \`nmae\` (at expect.body.nmae)\n    hint: Did you mean \`name\`?`);
  });

  it('a fixture expecting the wrong body', async () => {
    const broken = acmeFixture.replace('    name: Core Team', '    name: Core');
    const t = await cli('test', project({ [FIXTURE]: broken }), []);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(`FAIL ${FIXTURE}:2 success`);
    expect(t.stdout).toContain(`${at(FIXTURE, broken, 'body:', 2)} fixture.result-mismatch the unified result differs from expect.body (1 difference)`);
    expect(t.stdout).toContain(`      body.name: expected "Core", got "Core Team"  (line ${lineOf(broken, 'name: Core\n')})`);
    expect(t.stdout).toContain(`hint: If the definition is right, update expect.body; otherwise fix response.mapping at ${at(OPERATION, acmeGroupsGet, '|')}.`);
    expect(t.stdout).toContain('1 case: 0 passed, 1 failed');
  });

  it('a fixture expecting a request the definition does not send: nearest exchange, differing segment, fix', async () => {
    const broken = acmeFixture.replace('path: /v2/teams/t-42', 'path: /v2/team/t-42');
    const t = await cli('test', project({ [FIXTURE]: broken }), []);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(
      `${at(FIXTURE, broken, '/v2/team/t-42')} fixture.unmatched-request request 1 (step get_team) matches no exchange; nearest is exchanges[0]: expected GET /v2/team/t-42, got GET /v2/teams/t-42: path differs at segment 2: expected "team", got "teams"`,
    );
    expect(t.stdout).toContain(`hint: If the definition is right, set exchanges[0].request.path to "/v2/teams/t-42"; otherwise fix step get_team at ${at(OPERATION, acmeGroupsGet, 'name: get_team')}.`);
    // validate already warns that no step could send it.
    const v = await cli('validate', project({ [FIXTURE]: broken }), []);
    expect(v.stdout).toContain(`${at(FIXTURE, broken, '/v2/team/t-42')} fixture.exchange-matches-no-step warning: GET /v2/team/t-42 fits no step of user-directory/groups/get`);
    expect(v.code).toBe(0);
  });

  it('an exchange that is never requested', async () => {
    const extra = yaml`
      - step: get_team
        request:
          method: GET
          path: /v2/teams/t-43
        response:
          status: 200
    `.replace(/^/gm, '  ');
    const broken = acmeFixture.replace('expect:', `${extra.trimEnd()}\nexpect:`);
    const t = await cli('test', project({ [FIXTURE]: broken }), []);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(`${at(FIXTURE, broken, 'step: get_team', 2)} fixture.unused-exchange exchanges[1] (GET /v2/teams/t-43) was never requested`);
    expect(t.stdout).toContain('Requests sent: GET /v2/teams/t-42.');
  });

  it('a mapping whose result breaks the unified schema fails the case', async () => {
    const broken = acmeGroupsGet.replace('"name": title,', '"name": 42,');
    const t = await cli('test', project({ [OPERATION]: broken }), []);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(`${at(FIXTURE, acmeFixture, 'body:', 2)} fixture.nonconforming-result the mapped result does not conform to the unified group schema`);
    expect(t.stdout).toContain('      result.name: must be string,null');
    expect(t.stdout).toContain(`hint: Fix response.mapping at ${at(OPERATION, broken, '|')}`);
  });

  it('an expected error that differs names each field on its line', async () => {
    const failing = acmeFixture
      .replace('status: 200\n      body:\n        team_id: t-42\n        title: Core Team\n        summary: null', 'status: 404\n      body:\n        error: { code: not_found, message: No such team }')
      .replace(/expect:[\s\S]*$/, 'expect:\n  error:\n    status: 404\n    kind: forbidden\n    message: No such team\n');
    const t = await cli('test', project({ [FIXTURE]: failing }), []);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(`${at(FIXTURE, failing, 'error:\n    status')} fixture.error-mismatch the unified error differs from expect.error (1 difference); got 404 not_found: Acme Teams (get_team) failed: No such team`);
    expect(t.stdout).toContain(`      error.kind: expected "forbidden", got "not_found"  (line ${lineOf(failing, 'kind: forbidden')})`);
  });
});

describe('inspect mode', () => {
  it('a case with no expectations prints the requests and a paste-ready block', async () => {
    const draft = acmeFixture.slice(0, acmeFixture.indexOf('exchanges:'));
    const t = await cli('test', project({ [FIXTURE]: draft }), []);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`INSPECT ${FIXTURE}:2 success`);
    expect(t.stdout).toContain('1. get_team: GET https://api.acme.test/v2/teams/t-42');
    expect(t.stdout).toContain('x-api-key: ****');
    expect(t.stdout).toContain('<- 200 {}  [stand-in: answered 200 with {}]');
    expect(t.stdout).toContain('    exchanges:\n      - step: get_team\n        request:\n          method: GET\n          path: /v2/teams/t-42');
    expect(t.stdout).toContain('1 case: 0 passed, 0 failed, 1 inspect');
  });

  it('with canned exchanges but no expect, it shows the result and suggests the expectation', async () => {
    const draft = acmeFixture.slice(0, acmeFixture.indexOf('expect:'));
    const t = await cli('test', project({ [FIXTURE]: draft }), []);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('    expect:\n      body:\n        id: t-42\n        name: Core Team');
  });
});


