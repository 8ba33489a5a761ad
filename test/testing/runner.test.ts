import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJsonReport } from '../../engine/testing/report-json.js';
import { formatJunitReport } from '../../engine/testing/report-junit.js';
import { runFixtures } from '../../engine/testing/runner.js';
import { schemasDir } from '../support/paths.js';
import { acmeIntegration, at, cli, FIXTURE, lineOf, useAcmeProject, yaml } from './helpers.js';

/** A two-step operation (POST a member, then read the team back) and rate-limit headers, for the runner's failure modes. */
const integration = `${acmeIntegration}rate_limit:
  limit_header: X-RateLimit-Limit
  remaining_header: X-RateLimit-Remaining
  reset_header: X-RateLimit-Reset
  reset_format: delta_seconds
`;
const addOperation = yaml`
  # yaml-language-server: $schema=../../schemas/definition/operation.schema.json
  model: user-directory
  resource: groups
  method: add
  requires:
    body: [group_id, user_id]
  steps:
    - name: add_member
      method: POST
      path: /teams/{teamId}/members
      path_params:
        teamId: body.group_id
      body: '{ "member": body.user_id, "role": "member" }'
      success: [204]
    - name: get_team
      method: GET
      path: /teams/{teamId}
      path_params:
        teamId: body.group_id
  response:
    step: get_team
    mapping: |
      { "id": team_id, "name": title, "group_type": "team" }
`;
const ADD = 'integrations/acme/tests/groups.add.cases.yaml';

/** A `cases:` file: account, request and exchanges at the top are every case's defaults. */
function addFixture(cases: string, exchanges = defaultExchanges): string {
  return `# yaml-language-server: $schema=../../../schemas/definition/fixture.schema.json
account:
  context:
    host: api.acme.test
request:
  body:
    group_id: t-1
    user_id: u-1
${exchanges}cases:
${cases}`;
}
const defaultExchanges = `exchanges:
  - step: add_member
    request:
      method: POST
      path: /v2/teams/t-1/members
      body:
        member: u-1
        role: member
    response:
      status: 204
  - step: get_team
    request:
      method: GET
      path: /v2/teams/t-1
    response:
      status: 200
      headers:
        x-ratelimit-limit: 100
        x-ratelimit-remaining: 99
        x-ratelimit-reset: 30
      body:
        team_id: t-1
        title: Core Team
`;

const project = useAcmeProject();
function acme(files: Record<string, string | null>) {
  return project({ 'integrations/acme/integration.yaml': integration, 'integrations/acme/groups.add.yaml': addOperation, [FIXTURE]: null, ...files });
}
async function run(dir: string, paths: string[] = []) {
  return runFixtures({ paths, cwd: dir, schemasDir });
}

describe('runner: exchanges', () => {
  it('passes when every request matches, in order, and checks the normalized rate-limit headers', async () => {
    const fixture = addFixture(`  - name: ok
    expect:
      body: { id: t-1, name: Core Team, group_type: team, remote_data: { team_id: t-1, title: Core Team } }
      headers: { ratelimit-limit: 100, ratelimit-remaining: 99, ratelimit-reset: 30 }
      waits_ms: []
`);
    const report = await run(acme({ [ADD]: fixture }));
    expect(report.problems).toEqual([]);
    expect(report.cases.map((c) => [c.name, c.status, c.failures])).toEqual([['ok', 'passed', []]]);
    expect(report.cases[0].line).toBe(lineOf(fixture, '- name: ok'));
  });

  it('a request body that differs: every differing field, at the exchange body', async () => {
    const fixture = addFixture('  - name: wrong-role\n    expect: { body_contains: { id: t-1 } }\n', defaultExchanges.replace('role: member', 'role: admin'));
    const [c] = (await run(acme({ [ADD]: fixture }))).cases;
    expect(c.failures).toHaveLength(1);
    const f = c.failures[0];
    expect(`${f.file}:${f.line}:${f.col} ${f.code}`).toBe(`${at(ADD, fixture, 'member: u-1')} fixture.unmatched-request`);
    expect(f.message).toBe(
      'request 1 (step add_member) matches no exchange; nearest is exchanges[0]: expected POST /v2/teams/t-1/members, got POST /v2/teams/t-1/members: body.role: expected "admin", got "member"',
    );
    expect(f.hint).toContain('update exchanges[0].request.body to match what was sent');
  });

  it('a header that differs, and a query parameter that is missing', async () => {
    const exchanges = defaultExchanges.replace('      method: POST\n', '      method: POST\n      headers: { x-api-key: wrong }\n      query: { notify: "true" }\n');
    const [c] = (await run(acme({ [ADD]: addFixture('  - name: h\n    expect: { body_contains: { id: t-1 } }\n', exchanges) }))).cases;
    expect(c.failures[0].details.map((d) => d.text)).toEqual(['query parameter notify is missing (expected "true")', 'header x-api-key: expected "wrong", got "test-api_key"']);
  });

  it('query parameters compare as a multimap: repeated values, in order', async () => {
    const exchanges = defaultExchanges.replace('      path: /v2/teams/t-1/members\n', '      path: /v2/teams/t-1/members\n      query: { tag: [b, a] }\n');
    const fixture = addFixture('  - name: q\n    request:\n      query: "remote_query[tag][]=a&remote_query[tag][]=b"\n    expect: { body_contains: { id: t-1 } }\n', exchanges);
    const [c] = (await run(acme({ [ADD]: fixture }))).cases;
    expect(c.failures[0].message).toContain('query parameter tag: expected ["b","a"], got ["a","b"]');
    const fixed = fixture.replace('tag: [b, a]', 'tag: [a, b]');
    expect((await run(acme({ [ADD]: fixed }))).cases[0].status).toBe('passed');
  });

  it('exchanges listed out of order', async () => {
    const [post, get] = defaultExchanges.replace('exchanges:\n', '').split(/(?=  - step: get_team)/);
    const fixture = addFixture('  - name: order\n    expect: { body_contains: { id: t-1 } }\n', `exchanges:\n${get}${post}`);
    const [c] = (await run(acme({ [ADD]: fixture }))).cases;
    expect(c.failures.map((f) => f.code)).toEqual(['fixture.exchange-order']);
    expect(c.failures[0].message).toBe('request 1 (POST /v2/teams/t-1/members) matches exchanges[1], but exchanges[0] (GET /v2/teams/t-1) is listed before it');
    expect(c.failures[0].line).toBe(lineOf(fixture, '- step: add_member'));
  });

  it('an exchange attributed to the wrong step', async () => {
    const fixture = addFixture('  - name: step\n    expect: { body_contains: { id: t-1 } }\n', defaultExchanges.replace('- step: add_member', '- step: get_team'));
    const [c] = (await run(acme({ [ADD]: fixture }))).cases;
    expect(c.failures.map((f) => `${f.line} ${f.code} ${f.message}`)).toEqual([`${lineOf(fixture, '- step: get_team')} fixture.wrong-step exchanges[0] was sent by step "add_member", not "get_team"`]);
  });

  it('a request after the last exchange', async () => {
    const onlyPost = defaultExchanges.slice(0, defaultExchanges.indexOf('  - step: get_team'));
    const [c] = (await run(acme({ [ADD]: addFixture('  - name: short\n    expect: { body_contains: { id: t-1 } }\n', onlyPost) }))).cases;
    expect(c.failures[0].code).toBe('fixture.unexpected-request');
    expect(c.failures[0].message).toBe('request 2 (step get_team) GET /v2/teams/t-1 was not expected: all 1 exchanges were already used');
  });
});

describe('runner: outcome', () => {
  const limited = `exchanges:
  - request: { method: POST, path: /v2/teams/t-1/members, body: { member: u-1, role: member } }
    response:
      status: 429
      headers: { x-ratelimit-limit: 100, x-ratelimit-remaining: 0, x-ratelimit-reset: 5 }
      body: { error: { code: too_many, message: Slow down } }
${defaultExchanges.replace('exchanges:\n', '')}`;

  it('rate-limit waits are instant but recorded, read against the fixed clock', async () => {
    const fixture = addFixture('  - name: limited\n    expect:\n      body_contains: { id: t-1 }\n      waits_ms: [1000]\n', limited);
    const [c] = (await run(acme({ [ADD]: fixture }))).cases;
    expect(c.waits_ms).toEqual([5250]);
    expect(c.failures.map((f) => `${f.line} ${f.code} ${f.message}`)).toEqual([`${lineOf(fixture, 'waits_ms')} fixture.waits-mismatch expected waits [1000] ms, got [5250] ms`]);
    expect(c.duration_ms).toBeLessThan(1000);
    const fixed = fixture.replace('[1000]', '[5250]');
    expect((await run(acme({ [ADD]: fixed }))).cases[0].status).toBe('passed');
  });

  it('an unexpected unified error says how to expect it', async () => {
    const failing = defaultExchanges.replace('status: 204', 'status: 409\n      body: { error: { code: exists, message: Already a member } }');
    const [c] = (await run(acme({ [ADD]: addFixture('  - name: boom\n    expect: { body_contains: { id: t-1 } }\n', failing) }))).cases;
    const codes = c.failures.map((f) => f.code);
    expect(codes).toEqual(['fixture.unexpected-error', 'fixture.unused-exchange']);
    expect(c.failures[0].message).toBe('the call failed with 409 conflict: Acme Teams (add_member) failed: Already a member');
    expect(c.failures[0].hint).toContain('expect it: `error: { status: 409, kind: conflict }`');
    expect(c.failures[1].hint).toContain('The call failed before sending it');
  });

  it('expecting an error from a call that succeeds', async () => {
    const [c] = (await run(acme({ [ADD]: addFixture('  - name: nope\n    expect: { error: { status: 404 } }\n') }))).cases;
    expect(c.failures.map((f) => f.message)).toEqual(['expected the call to fail (404), but it succeeded with status 200']);
  });

  it('a `cases:` file: defaults are inherited, and misplaced top-level fields are reported', async () => {
    const fixture = addFixture('  - name: a\n    expect: { body_contains: { id: t-1 } }\n  - name: a\n    expect: { body_contains: { id: t-1 } }\n').replace('account:', 'expect: { status: 200 }\naccount:');
    const report = await run(acme({ [ADD]: fixture }));
    expect(report.problems.map((p) => `${p.line}:${p.col} ${p.code}`)).toEqual([`${lineOf(fixture, 'expect: { status')}:1 fixture.top-level-with-cases`, `${lineOf(fixture, '  - name: a\n    expect') + 2}:11 fixture.duplicate-case`]);
  });
});

describe('reporters', () => {
  const fixture = addFixture(`  - name: ok
    expect: { body_contains: { id: t-1 } }
  - name: bad
    expect: { body_contains: { name: "A & <B> \\"q\\"" } }
  - name: draft
`);

  it('json: the whole run, machine-readable', async () => {
    const report = await run(acme({ [ADD]: fixture }));
    const json = JSON.parse(formatJsonReport(report)) as { ok: boolean; summary: unknown; cases: { name: string; status: string; failures: { code: string; line: number; details: { text: string }[] }[]; exchanges: unknown[] }[] };
    expect(json.ok).toBe(false);
    expect(json.summary).toEqual({ total: 3, passed: 1, failed: 1, inspect: 1, problems: 0 });
    const bad = json.cases[1];
    expect(bad.failures[0].code).toBe('fixture.result-mismatch');
    expect(bad.failures[0].details[0].text).toBe('body.name: expected "A & <B> \\"q\\"", got "Core Team"');
    expect(bad.exchanges).toHaveLength(2);
  });

  it('junit: well-formed, one testcase per case, failures and skips marked, text escaped', async () => {
    const report = await run(acme({ [ADD]: fixture, 'integrations/acme/tests/groups.get.broken.yaml': 'exchanges: 5\n' }));
    const xml = formatJunitReport(report);
    assertWellFormedXml(xml);
    expect(xml).toContain('<testsuites name="unimap fixtures" tests="4" failures="1" errors="1" skipped="1"');
    expect(xml).toMatch(/<testcase classname="acme\.user-directory\.groups\.add" name="ok" file="integrations\/acme\/tests\/groups\.add\.cases\.yaml" line="\d+" time="[\d.]+"\/>/);
    expect(xml).toContain('<failure message="integrations/acme/tests/groups.add.cases.yaml:');
    expect(xml).toContain('body.name: expected "A &amp; &lt;B&gt; \\"q\\"", got "Core Team"');
    expect(xml).toContain('<skipped message="inspect mode: the case has no expect"/>');
    expect(xml).toContain('<error message="must be a list (found number 5)" type="schema.type">');
  });

  it('the CLI writes a report file and exits non-zero on failure; unknown reporters are a usage error', async () => {
    const dir = acme({ [ADD]: fixture });
    const r = await cli('test', dir, ['--reporter', 'junit', '--output', 'report.xml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('3 cases: 1 passed, 1 failed, 1 inspect (report in report.xml)\n');
    assertWellFormedXml(readFileSync(path.join(dir, 'report.xml'), 'utf8'));
    expect((await cli('test', dir, ['--reporter', 'xml'])).code).toBe(2);
    const only = await cli('test', dir, ['--filter', 'ok', '--reporter', 'json']);
    expect(JSON.parse(only.stdout).summary).toMatchObject({ total: 1, passed: 1 });
    expect(only.code).toBe(0);
  });
});

describe('validate', () => {
  it('--verbose lists every expression with its mode; --json is machine-readable', async () => {
    const dir = acme({});
    const v = await cli('validate', dir, ['--verbose']);
    expect(v.stdout).toContain(`${at('integrations/acme/groups.add.yaml', addOperation, 'body.group_id')} steps[0].path_params.teamId compiled: body.group_id`);
    expect(v.stdout).toContain(`${at('integrations/acme/groups.add.yaml', addOperation, "'{ \"member\"")} steps[0].body compiled: { "member": body.user_id, "role": "member" }`);
    const j = await cli('validate', dir, ['--json']);
    const parsed = JSON.parse(j.stdout) as { ok: boolean; checked: unknown; issues: unknown[] };
    expect(parsed).toMatchObject({ ok: true, checked: { integrations: 1, operations: 2, fixture_files: 0, cases: 0 }, issues: [] });
  });
});

/** Enough of XML 1.0 to catch what a broken reporter produces: unbalanced tags, raw `<` or `&`, bad attributes. */
function assertWellFormedXml(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('\n') + 1);
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  let rest = body;
  while (rest.length) {
    const lt = rest.indexOf('<');
    const text = lt < 0 ? rest : rest.slice(0, lt);
    expect(text.replace(entity, ''), `bare & in text: ${text.slice(0, 80)}`).not.toContain('&');
    if (lt < 0) break;
    const gt = rest.indexOf('>', lt);
    expect(gt, 'unclosed tag').toBeGreaterThan(lt);
    const tag = rest.slice(lt, gt + 1);
    const m = tag.match(/^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>$/);
    expect(m, `malformed tag: ${tag}`).not.toBeNull();
    for (const value of m![3].match(/"[^"]*"/g) ?? []) expect(value.replace(entity, ''), `bare & in attribute: ${value}`).not.toContain('&');
    if (m![1]) expect(stack.pop(), `mismatched </${m![2]}>`).toBe(m![2]);
    else if (!m![4]) stack.push(m![2]);
    rest = rest.slice(gt + 1);
  }
  expect(stack, 'unclosed elements').toEqual([]);
}
