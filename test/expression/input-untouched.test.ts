import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { CompilingExpressionCompiler, JsonataInterpreter } from '../../engine/expression/index.js';
import { mutatesInput } from '../../engine/expression/jsonata-interpreter.js';
import { integrationsDir } from '../support/paths.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The runtime hands the parsed remote body to the mapping and then returns that same object as
 * `remote_data`, so no evaluator may change its input (or its bindings). The jsonata interpreter
 * does in two places; the adapter gives exactly those expressions a copy.
 */

/** Every array in `value` that carries one of jsonata's marks, and the value as JSON. */
function snapshot(value: unknown): { json: string; marked: string[] } {
  const marked: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) {
      const a = v as unknown[] & Record<string, unknown>;
      if (a.keepSingleton || a.sequence || a.outerWrapper || a.tupleStream || a.cons) marked.push(at);
      v.forEach((x, i) => walk(x, `${at}/${i}`));
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}/${k}`);
  };
  walk(value, '');
  return { json: JSON.stringify(value), marked };
}

const HAZARDS = [
  'emails{"x": 1}',
  '$.emails{"x":1}',
  '{"a": emails{"k": "v"}}',
  'emails[]',
  '(emails){"a":1}',
  'nested.{"x": 1}',
  '$map(nested, function($v){ $v{"a":1} })',
  '$$.emails{"k":1}',
  '{"outer": {"inner": 1}}',
  'profile.{"a": 1}',
  '$steps.get.body.emails{"k": 1}',
  '$context.list.{"k": 1}',
];

const input = () => ({ emails: [], profile: {}, nested: [[], []], list: [{ emails: [] }] });
const bindings = () => ({ steps: { get: { body: { emails: [] } } }, context: { list: [[], []] } });

describe('evaluation leaves its input and bindings untouched', () => {
  for (const [name, compiler] of [
    ['interpreter', new JsonataInterpreter()],
    ['compiler', new CompilingExpressionCompiler()],
  ] as const) {
    it.each(HAZARDS)(`${name}: %s`, async (source) => {
      for (const data of [input(), [input(), []], [[]]]) {
        const b = bindings();
        const before = [snapshot(data), snapshot(b)];
        await compiler.compile(source).evaluate(data, b);
        expect([snapshot(data), snapshot(b)]).toEqual(before);
      }
    });
  }

  it('the bare interpreter does change its input (what the copy guards against)', async () => {
    const data = input();
    await jsonata('emails{"x": 1}').evaluate(data);
    expect(data.emails).toEqual([undefined]);
  });

  it('copies only for the expressions that need it: a constructor against the root input does not', () => {
    const tree = (s: string) => jsonata(s).ast();
    for (const safe of ['{"id": id, "name": profile.name}', '($s := {"A": "a"}; {"id": id, "status": $lookup($s, status)})', 'id', '$count(items) > 0 ? {"a": 1} : {"b": 2}', '[{"a": 1}]']) {
      expect(mutatesInput(tree(safe)), safe).toBe(false);
    }
    for (const hazard of HAZARDS) expect(mutatesInput(tree(hazard)), hazard).toBe(true);
  });

  it('most shipped mappings need no copy', () => {
    const mappings: string[] = [];
    for (const name of readdirSync(integrationsDir)) {
      const dir = path.join(integrationsDir, name);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'integration.yaml')) {
        const spec = parseYaml(readFileSync(path.join(dir, file), 'utf8')) as { response?: { mapping?: string } };
        if (spec.response?.mapping) mappings.push(spec.response.mapping);
      }
    }
    const copied = mappings.filter((m) => mutatesInput(jsonata(m).ast()));
    expect(mappings.length).toBeGreaterThan(40);
    expect(copied.length / mappings.length).toBeLessThan(0.5);
  });
});
