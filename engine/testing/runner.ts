import type { LoadedDefinitions } from '../definition/loaded.js';
import { DefinitionLoadError, formatIssue, type DefinitionIssue } from '../errors.js';
import { defaultExpressionCompiler } from '../expression/index.js';
import { loadDefinitions } from '../loader/index.js';
import { DefinitionLocator } from './definition-locator.js';
import type { FixtureCase } from './fixture-types.js';
import { Harness } from './harness.js';
import { loadFixtureFile } from './load-fixtures.js';
import { summarize, type CaseReport, type RunReport } from './report-types.js';
import { runCase } from './run-case.js';
import { resolveSchemasDir, selectTargets } from './workspace.js';

export interface PlanOptions {
  /** Fixture files, tests folders, integration folders, definition files or an integrations folder. Default: ./integrations. */
  paths: string[];
  cwd: string;
  integrationsDir?: string;
  schemasDir?: string;
  /** Run only cases whose name (or `file case-name`) contains this text. */
  filter?: string;
}

/** Everything found before running: the cases, and the files that cannot run (with why). */
export interface FixturePlan {
  cases: FixtureCase[];
  problems: DefinitionIssue[];
  run(c: FixtureCase): Promise<CaseReport>;
  close(): Promise<void>;
}

/**
 * Loads definitions with the one loader and every selected fixture, without running anything. When
 * a definition does not load, each case runs against an engine of its own integration only, so a
 * broken integration does not stop the others' fixtures.
 */
export async function planFixtures(options: PlanOptions): Promise<FixturePlan> {
  const displayRoot = options.cwd;
  const schemasDir = resolveSchemasDir(options);
  const { selections, problems: pathProblems } = selectTargets(options.paths, options);
  const problems: DefinitionIssue[] = pathProblems.map((message) => ({ code: 'cli.path', file: message.split(':')[0], line: 0, col: 0, path: '', message: message.slice(message.indexOf(':') + 2), severity: 'error' }));
  const cases: FixtureCase[] = [];
  const dirOf = new Map<FixtureCase, string>();
  const seenBlockers = new Set<string>();

  const harnesses = new Map<string, Promise<Harness | DefinitionLoadError>>();
  for (const selection of selections) {
    const only = selection.integrations === 'all' ? undefined : [...selection.integrations];
    // Usually every definition loads: then one engine serves all the selection's cases and its
    // definitions are the ones fixtures are checked against (one load instead of two).
    let definitions: LoadedDefinitions;
    let issues: DefinitionIssue[] = [];
    try {
      const shared = await Harness.create({ integrationsDir: selection.integrationsDir, schemasDir, only, displayRoot });
      harnesses.set(selection.integrationsDir, Promise.resolve(shared));
      definitions = shared.engine.definitions;
    } catch (err) {
      if (!(err instanceof DefinitionLoadError)) throw err;
      ({ definitions, issues } = await loadDefinitions({ integrationsDir: selection.integrationsDir, schemasDir, compiler: defaultExpressionCompiler(), only, displayRoot }));
    }
    for (const file of selection.fixtures) {
      const loaded = await loadFixtureFile(file, { definitions, definitionIssues: issues, integrationsDir: selection.integrationsDir, schemasDir, displayRoot });
      problems.push(...loaded.issues);
      for (const blocker of loaded.blockedBy) {
        const key = formatIssue(blocker);
        if (!seenBlockers.has(key)) problems.push(blocker);
        seenBlockers.add(key);
      }
      if (loaded.blockedBy.length) {
        problems.push({ code: 'fixture.not-run', file: loaded.file, line: 0, col: 0, path: '', message: 'not run: the definition it tests has errors (listed above)', hint: 'Fix the definition first; `unimap validate` lists every error.', severity: 'error' });
      }
      for (const c of loaded.cases) {
        if (options.filter && !`${c.file} ${c.name}`.includes(options.filter)) continue;
        cases.push(c);
        dirOf.set(c, selection.integrationsDir);
      }
    }
  }

  const locator = new DefinitionLocator(displayRoot);
  const harnessFor = (c: FixtureCase) => {
    const integrationsDir = dirOf.get(c)!;
    const shared = harnesses.get(integrationsDir);
    if (shared) return shared;
    // Some definition does not load: each integration gets its own engine, so the others still run.
    const key = `${integrationsDir}\u0000${c.integration}`;
    let h = harnesses.get(key);
    if (!h) {
      h = Harness.create({ integrationsDir, schemasDir, only: [c.integration], displayRoot }).catch((err: unknown) => {
        if (err instanceof DefinitionLoadError) return err;
        throw err;
      });
      harnesses.set(key, h);
    }
    return h;
  };

  return {
    cases,
    problems,
    async run(c) {
      const harness = await harnessFor(c);
      if (harness instanceof DefinitionLoadError) return notLoaded(c, harness);
      return runCase(c, harness, locator);
    },
    async close() {
      for (const h of harnesses.values()) {
        const harness = await h;
        if (harness instanceof Harness) await harness.close();
      }
    },
  };
}

/** Plans and runs every selected case, one after another (they share each engine's virtual clock). */
export async function runFixtures(options: PlanOptions): Promise<RunReport> {
  const plan = await planFixtures(options);
  const reports: CaseReport[] = [];
  try {
    for (const c of plan.cases) reports.push(await plan.run(c));
  } finally {
    await plan.close();
  }
  return { cases: reports, problems: plan.problems, summary: summarize(reports, plan.problems) };
}

function notLoaded(c: FixtureCase, err: DefinitionLoadError): CaseReport {
  const errors = err.issues.filter((i) => i.severity !== 'warning');
  return {
    file: c.file,
    line: c.line,
    name: c.name,
    description: c.description,
    integration: c.integration,
    operation: c.operation.key,
    status: 'failed',
    failures: [
      {
        code: 'fixture.definitions-not-loaded',
        file: c.file,
        line: c.line,
        col: 1,
        message: `the engine cannot load the definitions of ${c.integration} (${errors.length} error${errors.length === 1 ? '' : 's'}), so no case of it can run`,
        hint: 'Fix these first; `unimap validate` lists them with hints.',
        details: errors.map((i) => ({ text: formatIssue(i).replace(/\n\s*/g, ' — ') })),
      },
    ],
    exchanges: [],
    waits_ms: [],
    notes: [],
    duration_ms: 0,
  };
}
