import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, UnifiedError, type Engine } from '../../engine/index.js';
import { createRouter, parseQueryString, unifiedRoutes, type Router } from '../../engine/server/index.js';
import type { UnifiedMethod } from '../../engine/definition/loaded.js';
import { parseWithQs } from '../../engine/server/query.js';

describe('routes derived from the unified catalogue', () => {
  let engine: Engine;
  let router: Router<UnifiedMethod>;
  beforeAll(async () => {
    engine = await createEngine({ only: [] });
    router = createRouter(unifiedRoutes(engine.definitions.catalog));
    return () => engine.close();
  });

  it('serves every method of every api.json at /unified/<model><http.path>, none written by hand', () => {
    const methods = [...engine.definitions.catalog.methods.values()];
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods) {
      const path = `/unified/${m.model}${m.spec.http.path.replace(/\{(\w+)\}/g, 'value-of-$1')}`;
      const match = router.match(m.spec.http.method, path);
      expect(match.kind, `${m.key} at ${path}`).toBe('found');
      if (match.kind !== 'found') continue;
      expect(match.route.target.key).toBe(m.key);
      for (const [name, value] of Object.entries(match.params)) expect(value).toBe(`value-of-${name}`);
    }
  });

  it('a literal segment wins over a parameter: POST /groups/add is add, GET /groups/add is get with id "add"', () => {
    const add = router.match('POST', '/unified/user-directory/groups/add');
    expect(add.kind === 'found' && add.route.target.key).toBe('user-directory/groups/add');
    const get = router.match('GET', '/unified/user-directory/groups/add');
    expect(get.kind === 'found' && [get.route.target.key, get.params]).toEqual(['user-directory/groups/get', { id: 'add' }]);
  });

  it('binds {id} to one percent-decoded segment', () => {
    const m = router.match('GET', '/unified/user-directory/users/a%2Fb%20c');
    expect(m.kind === 'found' && m.params).toEqual({ id: 'a/b c' });
    expect(router.match('GET', '/unified/user-directory/users/a/b').kind).toBe('not_found');
    expect(router.match('GET', '/unified/user-directory/users/%zz').kind).toBe('bad_path');
  });

  it('a known path under another method is a 405 listing what is allowed', () => {
    expect(router.match('PUT', '/unified/user-directory/groups/123')).toEqual({ kind: 'method_not_allowed', allow: ['DELETE', 'GET', 'PATCH'] });
    expect(router.match('DELETE', '/unified/user-directory/groups')).toEqual({ kind: 'method_not_allowed', allow: ['GET', 'POST'] });
  });

  it('a new method in a catalogue becomes a route, a clash is refused', () => {
    const fake = (key: string, method: string, path: string) => ({ target: { key }, method, template: path });
    const r = createRouter([fake('a', 'GET', '/unified/m/things/{thing_id}/parts'), fake('b', 'POST', '/unified/m/things')]);
    const m = r.match('GET', '/unified/m/things/t1/parts');
    expect(m.kind === 'found' && [m.route.target.key, m.params]).toEqual(['a', { thing_id: 't1' }]);
    expect(() => createRouter([fake('a', 'GET', '/x/{a}'), fake('b', 'GET', '/x/{b}')])).toThrow(/both claim GET/);
  });
});

describe('query strings (qs, bounded, no prototype pollution)', () => {
  it('reads the bracket syntax', () => {
    expect(parseQueryString('truto_exclude_fields[]=id&truto_exclude_fields[]=name&remote_query[foo]=bar&integrated_account_id=x')).toEqual({
      truto_exclude_fields: ['id', 'name'],
      remote_query: { foo: 'bar' },
      integrated_account_id: 'x',
    });
  });

  it('never pollutes a prototype, whatever the keys (property test)', () => {
    const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype].map((p) => [p, Object.getOwnPropertyNames(p)] as const);
    const dangerous = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf');
    const segment = fc.oneof(dangerous, fc.stringMatching(/^[a-z]{1,4}$/), fc.constant(''));
    const pair = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[a-z0-9]{0,4}$/)).map(([keys, value]) => {
      const [first, ...rest] = keys;
      return `${first}${rest.map((k) => `[${k}]`).join('')}=${value}`;
    });
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 8 }), (pairs) => {
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = parseQueryString(pairs.join('&'));
        } catch (err) {
          expect(err).toBeInstanceOf(UnifiedError);
        }
        expect(({} as Record<string, unknown>)[pairs[0]]).toBeUndefined();
        for (const [proto, names] of PROTOTYPES) expect(Object.getOwnPropertyNames(proto)).toEqual(names);
        if (parsed) {
          const walk = (v: unknown): void => {
            if (v && typeof v === 'object') {
              expect(Object.getPrototypeOf(v) === Object.prototype || Array.isArray(v)).toBe(true);
              for (const [k, child] of Object.entries(v)) {
                expect(['__proto__', 'constructor', 'prototype']).not.toContain(k);
                walk(child);
              }
            }
          };
          walk(parsed);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads plain pairs without qs, with exactly qs\'s answer (differential property test)', () => {
    // Fragments chosen for what qs treats specially: separators, `+`, escapes good and bad,
    // brackets raw and encoded, a leading `?`, prototype names, integer-like keys, non-ASCII.
    const fragment = fc.constantFrom(
      'a', 'b', 'id', '0', '1', '01', '=', '=', '&', '&', '+', '%', '%2', '%20', '%2B', '%26', '%3D', '%zz', '%C3%A9', '%E2%9C',
      '%5B', '%5b', '%5D', '[', ']', '[]', '?', '.', ' ', 'é', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'utf8',
    );
    const text = fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join(''));
    const outcome = (parse: (s: string) => Record<string, unknown>, input: string) => {
      try {
        const value = parse(input);
        return { value, json: JSON.stringify(value), keys: Object.keys(value) };
      } catch (err) {
        expect(err).toBeInstanceOf(UnifiedError);
        return { error: (err as UnifiedError).message };
      }
    };
    fc.assert(
      fc.property(text, (input) => {
        const fast = outcome(parseQueryString, input);
        const reference = outcome(parseWithQs, input);
        expect(fast).toStrictEqual(reference);
      }),
      { numRuns: 3_000 },
    );
    const cases = [
      '',
      'integrated_account_id=6f1c2f0e-0b7e-4a53-9c11-1e0b7c9d2a11',
      'integrated_account_id=x&limit=50&cursor=a%20b+c',
      'a=1&a=2',
      'a&b=&=c&&',
      '?a=1',
      'a=%zz&b=%E2%82%AC',
      'x%5By%5D=1',
      'x=%5B1%ZZ',
      Array.from({ length: 200 }, (_, i) => `p${i}=1`).join('&'),
      Array.from({ length: 201 }, (_, i) => `p${i}=1`).join('&'),
      Array.from({ length: 101 }, () => 'a=1').join('&'),
      Array.from({ length: 101 }, () => '').join('&'),
      Array.from({ length: 101 }, () => 'toString=1').join('&'),
    ];
    for (const input of cases) expect(outcome(parseQueryString, input), input.slice(0, 40)).toStrictEqual(outcome(parseWithQs, input));
  });

  it('refuses oversized input with a 400 UnifiedError instead of doing the work', () => {
    const cases = [Array.from({ length: 201 }, (_, i) => `p${i}=1`).join('&'), 'a[b][c][d][e][f]=1', Array.from({ length: 101 }, () => 'a[]=1').join('&')];
    for (const text of cases) {
      try {
        parseQueryString(text);
        expect.unreachable(text.slice(0, 30));
      } catch (err) {
        expect(err).toBeInstanceOf(UnifiedError);
        expect((err as UnifiedError).statusCode).toBe(400);
      }
    }
  });
});
