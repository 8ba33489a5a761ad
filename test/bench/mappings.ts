/**
 * Section 1: every Okta mapping and request expression, µs per evaluation, interpreted, compiled,
 * and by hand (where a hand-written equivalent exists and gives the same JSON on the sample).
 */
import type { Expression } from '../../engine/expression/index.js';
import type { LoadedOperation } from '../../engine/definition/loaded.js';
import { bothOkta, operationsOf } from './definitions.js';
import { HAND_WRITTEN, oktaGroup, oktaUsers } from './okta-samples.js';
import { fmt, microsPerOp, microsPerOpAsync, table } from './timing.js';

interface Site {
  label: string;
  interpreted: Expression;
  compiled: Expression;
  /** Compiled to closures only (no generated JavaScript). */
  closures: Expression;
  input: unknown;
  bindings: Record<string, unknown>;
}

function sitesOf(op: LoadedOperation, reference: LoadedOperation, closuresOp: LoadedOperation): Site[] {
  const user = oktaUsers(1, 'full')[0];
  const group = oktaGroup();
  const request = { body: { name: 'Engineering', description: 'All engineers', group_id: group.id, user_id: user.id }, query: { id: group.id } };
  const scope = { ...request, context: { domain: 'acme.okta.com' }, steps: { get_group: { status: 200, headers: {}, body: group } } };
  const responseInput = op.unified.resource === 'groups' ? group : user;
  const responseBindings = { request, context: scope.context, steps: scope.steps, status: 200, headers: {} };
  const sites: Site[] = [];
  const add = (label: string, c: Expression | undefined, i: Expression | undefined, k: Expression | undefined, input: unknown, bindings: Record<string, unknown>) => {
    if (c && i && k) sites.push({ label: `${op.spec.resource}.${op.spec.method} ${label}`, compiled: c, interpreted: i, closures: k, input, bindings });
  };
  add('response.mapping', op.mapping, reference.mapping, closuresOp.mapping, responseInput, responseBindings);
  op.steps.forEach((step, s) => {
    add(`steps[${s}].body`, step.body, reference.steps[s].body, closuresOp.steps[s].body, scope, scope);
    step.pathParams.forEach(([name, expr], p) => add(`steps[${s}].path_params.${name}`, expr, reference.steps[s].pathParams[p][1], closuresOp.steps[s].pathParams[p][1], scope, scope));
  });
  return sites;
}

export interface MappingRow {
  label: string;
  mode: string;
  interpreted: number;
  compiled: number;
  closures: number;
  hand?: number;
  handName?: string;
}

export async function benchMappings(budgetMs: number): Promise<{ rows: MappingRow[]; text: string }> {
  const { interpreted, compiled, closures } = await bothOkta();
  const reference = new Map(operationsOf(interpreted).map((op) => [op.key, op]));
  const closureOps = new Map(operationsOf(closures).map((op) => [op.key, op]));
  const sites = operationsOf(compiled).flatMap((op) => sitesOf(op, reference.get(op.key) as LoadedOperation, closureOps.get(op.key) as LoadedOperation));
  // One row per distinct expression: the same mapping on several operations is measured once.
  const bySource = new Map<string, Site & { labels: string[] }>();
  for (const site of sites) {
    const seen = bySource.get(site.compiled.source);
    if (seen) seen.labels.push(site.label);
    else bySource.set(site.compiled.source, { ...site, labels: [site.label] });
  }
  const perSite = Math.max(150, budgetMs / bySource.size / 4);
  const rows: MappingRow[] = [];
  for (const site of bySource.values()) {
    const expected = JSON.stringify(await site.compiled.evaluate(site.input, site.bindings));
    const hand = HAND_WRITTEN.find((h) => {
      try {
        return JSON.stringify(h.fn(site.input, site.bindings)) === expected;
      } catch {
        return false;
      }
    });
    rows.push({
      label: site.labels.length > 1 ? `${site.labels[0]} (+${site.labels.length - 1} more)` : site.labels[0],
      mode: site.compiled.mode,
      interpreted: await microsPerOpAsync(() => Promise.resolve(site.interpreted.evaluate(site.input, site.bindings)), perSite),
      compiled: microsPerOp(() => site.compiled.evaluate(site.input, site.bindings), perSite),
      closures: microsPerOp(() => site.closures.evaluate(site.input, site.bindings), perSite),
      hand: hand ? microsPerOp(() => hand.fn(site.input, site.bindings), perSite) : undefined,
      handName: hand?.name,
    });
  }
  rows.sort((a, b) => b.interpreted - a.interpreted);
  const text = table(
    ['expression (Okta)', 'mode', 'interpreter µs', 'closures µs', 'compiled µs', 'by hand µs', 'interp/compiled', 'compiled/hand'],
    rows.map((r) => [
      r.label,
      r.mode,
      fmt(r.interpreted),
      fmt(r.closures, 3),
      fmt(r.compiled, 3),
      r.hand === undefined ? '—' : fmt(r.hand, 3),
      `${fmt(r.interpreted / r.compiled, 0)}×`,
      r.hand === undefined ? '—' : `${fmt(r.compiled / r.hand, 1)}×`,
    ]),
  );
  return { rows, text };
}
