/**
 * remote_data goes straight onto a mapping's result when the loader judged that the mapping builds
 * that object afresh on every evaluation (LoadedOperation.freshResult). If that judgement were ever
 * wrong (or an evaluator began sharing objects between evaluations), one call's remote_data would
 * land on another's result. So: for every such mapping of every integration, in every mode the
 * runtime uses (interpreted, compiled, compiled and then emitted as JavaScript), two evaluations
 * give two distinct objects, neither of them the input.
 */
import { describe, expect, it } from 'vitest';
import { CompilingExpressionCompiler, JsonataInterpreter, type ExpressionCompiler } from '../../engine/expression/index.js';
import { buildsFreshObject } from '../../engine/loader/reference-checks.js';
import { loadDefinitionsOrThrow } from '../../engine/loader/index.js';
import { integrationsDir, schemasDir } from '../support/paths.js';

const input = { id: '1', profile: { name: 'n', email: 'e@example.com' }, displayName: 'd', members: [], emails: [{ value: 'e@example.com', primary: true }] };
const bindings = { request: { body: {}, query: {} }, context: {}, steps: {}, status: 200, headers: {} };

describe('mappings that build their result afresh', () => {
  for (const [name, compiler] of [
    ['interpreted', new JsonataInterpreter()],
    ['compiled', new CompilingExpressionCompiler()],
  ] as [string, ExpressionCompiler][]) {
    it(`${name}: every evaluation gives a new object`, async () => {
      const defs = await loadDefinitionsOrThrow({ integrationsDir, schemasDir, compiler });
      let checked = 0;
      for (const integration of defs.integrations.values()) {
        for (const op of integration.operations.values()) {
          if (!op.freshResult) continue;
          const results: unknown[] = [];
          // Enough evaluations for the compiler to switch to its emitted JavaScript.
          for (let i = 0; i < 300; i++) results.push(await op.mapping.evaluate(input, bindings));
          const [a, b, y, z] = [results[0], results[1], results[298], results[299]];
          if (typeof a !== 'object' || a === null) continue;
          checked++;
          expect(a, op.file).not.toBe(b);
          expect(y, op.file).not.toBe(z);
          expect(z, op.file).not.toBe(input);
        }
      }
      expect(checked).toBeGreaterThan(30);
    });
  }

  it('is judged from the expression: constructors, blocks and conditions only', () => {
    expect(buildsFreshObject('{"id": id}')).toBe(true);
    expect(buildsFreshObject('( $s := {"A": "a"}; {"id": id, "s": $lookup($s, status)} )')).toBe(true);
    expect(buildsFreshObject('x ? {"a": 1} : {"b": 2}')).toBe(true);
    expect(buildsFreshObject('$')).toBe(false);
    expect(buildsFreshObject('profile')).toBe(false);
    expect(buildsFreshObject('( $o := {"id": id}; $o )')).toBe(false);
    expect(buildsFreshObject('x ? {"a": 1} : profile')).toBe(false);
    expect(buildsFreshObject('$merge([{"id": id}, profile])')).toBe(false);
    expect(buildsFreshObject('{"id": id}[0]')).toBe(false);
    expect(buildsFreshObject('items{"k": v}')).toBe(false);
    expect(buildsFreshObject('not json ata (')).toBe(false);
  });
});
