import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';
import { acmeIntegration, cli, useAcmeProject } from './helpers.js';

const project = useAcmeProject();
const SECRET = 'sk-live-SECRET-123';

describe('explain', () => {
  it('prints the request with the secret masked, and says the response is a stand-in', async () => {
    const r = await cli('explain', project(), ['--integration', 'acme', '--operation', 'groups.get', '--query', 'id=t-42', '--credentials', JSON.stringify({ api_key: SECRET })]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).toContain('1. get_team: GET https://api.acme.test/v2/teams/t-42\n     accept: application/json\n     x-api-key: ****\n     body: (none)\n   <- 200 {}  [stand-in: answered 200 with {}]');
    expect(r.stdout).toContain('note: no --context given: used the examples of context_schema ({"host":"api.acme.test"})');
    expect(r.stdout).toContain('note: requests marked "stand-in" had no canned response');
  });

  it('never shows a secret, even echoed back in a canned response or in JSON output', async () => {
    const args = ['--integration', 'acme', '--operation', 'user-directory/groups/get', '--context', '{"host":"api.acme.test"}', '--query', 'id=t-42', '--credentials', JSON.stringify({ api_key: SECRET })];
    const echo = `get_team={"team_id":"t-42","title":"${SECRET}"}`;
    for (const extra of [['--response', echo], ['--response', echo, '--json']]) {
      const r = await cli('explain', project(), [...args, ...extra]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(SECRET);
      expect(r.stdout).toContain('****');
    }
  });

  it('masks basic auth, whose header carries the credentials base64-encoded', async () => {
    const basic = acmeIntegration.replace(/auth:\n[\s\S]*?errors:/, 'auth:\n  - type: basic\n    username: user\n    password: password\nerrors:').replace('api_key:', 'user: { type: string }\n    password: { type: string }\n    api_key:');
    const r = await cli('explain', project({ 'integrations/acme/integration.yaml': basic }), [
      '--integration', 'acme', '--operation', 'groups.get', '--query', 'id=t-42', '--credentials', JSON.stringify({ user: 'admin', password: SECRET }),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('authorization: Basic ****');
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).not.toContain(Buffer.from(`admin:${SECRET}`).toString('base64'));
  });

  it('shows every step of a multi-step operation: a 204 stand-in for a step whose success is 204', async () => {
    const r = await cli('explain', repoRoot, [
      '--integration', 'okta', '--operation', 'user-directory/groups/add', '--context', '{"domain":"acme.okta.com"}',
      '--body', '{"group_id":"00g1","user_id":"00u1"}', '--query', 'remote_query[x]=1&truto_response_format=raw', '--credentials', `{"api_token":"${SECRET}"}`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).toContain('1. add_member: PUT https://acme.okta.com/api/v1/groups/00g1/users/00u1?x=1');
    expect(r.stdout).toContain('authorization: SSWS ****');
    expect(r.stdout).toContain('<- 204  [stand-in: answered 204 with an empty body]');
    expect(r.stdout).toContain('2. get_group: GET https://acme.okta.com/api/v1/groups/00g1\n');
    expect(r.stdout).toContain('result: 200\n{}');
  });

  it('uses canned responses, with a status', async () => {
    const notFound = '{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: 00u1 (User)","errorLink":"E0000007","errorId":"oaeHF_aPJskSVCFc3Q-7BJhKQ","errorCauses":[]}';
    const r = await cli('explain', repoRoot, [
      '--integration', 'okta', '--operation', 'groups.add', '--context', '{"domain":"acme.okta.com"}', '--body', '{"group_id":"00g1","user_id":"00u1"}', '--response', `add_member=404:${notFound}`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<- 404 {"errorCode":"E0000007"');
    expect(r.stdout).toContain('[--response]');
    expect(r.stdout).toContain('error: 404 not_found: Okta (add_member) failed: Not found: Resource not found: 00u1 (User)');
    expect(r.stdout).not.toContain('2. get_group');
  });

  it('takes the account, request and responses from a fixture case', async () => {
    const r = await cli('explain', repoRoot, ['--fixture', 'integrations/okta/tests/groups.add.formats.yaml', '--case', 'raw']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[fixture exchanges[0]]');
    expect(r.stdout).toContain('query: {"truto_response_format":"raw"}');
    expect(r.stdout).toContain('"objectClass": [\n    "okta:user_group"\n  ]');
    const missing = await cli('explain', repoRoot, ['--fixture', 'integrations/okta/tests/groups.add.formats.yaml', '--case', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no case "nope"; its cases: unified, raw, normalized, ignore-remote-data, exclude-fields');
  });

  it('says what is wrong with its arguments', async () => {
    const dir = project();
    expect((await cli('explain', dir, ['--integration', 'acme'])).stderr).toContain('give --integration and --operation, or --fixture <file>');
    const badJson = await cli('explain', dir, ['--integration', 'acme', '--operation', 'groups.get', '--body', '{nope']);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--body: not valid JSON');
    const badStep = await cli('explain', dir, ['--integration', 'acme', '--operation', 'groups.get', '--query', 'id=1', '--response', 'get_tem={}']);
    expect(badStep.stderr).toContain('has no step "get_tem"; did you mean "get_team"?');
    const badOp = await cli('explain', dir, ['--integration', 'acme', '--operation', 'groups.gte']);
    expect(badOp.stderr).toContain('acme has no operation "groups.gte"; did you mean "groups.get"?');
  });
});
