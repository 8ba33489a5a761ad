/** Reads the JSONata reference test suite in place (see its TESTSUITE.md for the case format). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SuiteCase {
  /** `group/file#n`, for reports. */
  id: string;
  group: string;
  expr: string;
  data?: unknown;
  dataset?: string | null;
  bindings?: Record<string, unknown>;
  result?: unknown;
  undefinedResult?: boolean;
  code?: string;
  token?: string;
  error?: Record<string, unknown>;
  timelimit?: number;
  depth?: number;
  'expr-file'?: string;
}

export interface Suite {
  cases: SuiteCase[];
  datasets: Record<string, unknown>;
}

export function loadSuite(dir: string): Suite {
  const datasets: Record<string, unknown> = {};
  for (const name of readdirSync(path.join(dir, 'datasets'))) {
    datasets[name.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(dir, 'datasets', name), 'utf8'));
  }
  const cases: SuiteCase[] = [];
  const groupsDir = path.join(dir, 'groups');
  for (const group of readdirSync(groupsDir).sort()) {
    for (const file of readdirSync(path.join(groupsDir, group)).filter((f) => f.endsWith('.json')).sort()) {
      const spec = JSON.parse(readFileSync(path.join(groupsDir, group, file), 'utf8')) as SuiteCase | SuiteCase[];
      const list = Array.isArray(spec) ? spec : [spec];
      list.forEach((c, i) => {
        const expr = c['expr-file'] ? readFileSync(path.join(groupsDir, group, c['expr-file']), 'utf8') : c.expr;
        cases.push({ ...c, expr, group, id: `${group}/${file}${Array.isArray(spec) ? `#${i}` : ''}` });
      });
    }
  }
  return { cases, datasets };
}

/** The case's input: its own `data`, a named dataset, or nothing (`dataset: null`). */
export function inputOf(suite: Suite, c: SuiteCase): unknown {
  if ('data' in c) return c.data;
  if (c.dataset === null || c.dataset === undefined) return undefined;
  if (!(c.dataset in suite.datasets)) throw new Error(`${c.id}: unknown dataset ${c.dataset}`);
  return suite.datasets[c.dataset];
}
