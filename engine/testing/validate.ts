import type { DefinitionIssue } from '../errors.js';
import { defaultExpressionCompiler } from '../expression/index.js';
import { loadDefinitions } from '../loader/index.js';
import { DefinitionLocator } from './definition-locator.js';
import { listExpressions, type ExpressionEntry } from './expressions.js';
import { loadFixtureFile } from './load-fixtures.js';
import { resolveSchemasDir, selectTargets, type WorkspaceOptions } from './workspace.js';

export interface ValidateOptions extends WorkspaceOptions {
  paths: string[];
  /** Also list every expression with its evaluation mode. */
  expressions?: boolean;
}

export interface ValidateReport {
  issues: DefinitionIssue[];
  checked: { integrations: number; operations: number; fixture_files: number; cases: number };
  expressions?: ExpressionEntry[];
}

/**
 * Checks definitions (with the one loader: schemas, JSONata syntax, path parameters, unified field
 * references) and fixtures (their schema, the integration and operation they name, their values
 * against the unified schemas), running nothing. Every issue is collected.
 */
export async function validateWorkspace(options: ValidateOptions): Promise<ValidateReport> {
  const displayRoot = options.cwd;
  const schemasDir = resolveSchemasDir(options);
  const { selections, problems } = selectTargets(options.paths, options);
  const report: ValidateReport = {
    issues: problems.map((message) => ({ code: 'cli.path', file: message.split(':')[0], line: 0, col: 0, path: '', message: message.slice(message.indexOf(':') + 2), severity: 'error' })),
    checked: { integrations: 0, operations: 0, fixture_files: 0, cases: 0 },
  };
  const locator = new DefinitionLocator(displayRoot);
  const seen = new Set<string>();
  for (const selection of selections) {
    const { definitions, issues } = await loadDefinitions({
      integrationsDir: selection.integrationsDir,
      schemasDir,
      compiler: defaultExpressionCompiler(),
      only: selection.integrations === 'all' ? undefined : [...selection.integrations],
      displayRoot,
    });
    // Catalogue issues come with every load; show them once.
    for (const issue of issues) {
      const key = `${issue.file}:${issue.line}:${issue.col}:${issue.code}:${issue.message}`;
      if (!seen.has(key)) report.issues.push(issue);
      seen.add(key);
    }
    report.checked.integrations += definitions.integrations.size;
    for (const i of definitions.integrations.values()) report.checked.operations += i.operations.size;
    for (const file of selection.fixtures) {
      const loaded = await loadFixtureFile(file, { definitions, definitionIssues: issues, integrationsDir: selection.integrationsDir, schemasDir, displayRoot });
      report.issues.push(...loaded.issues);
      report.checked.fixture_files += 1;
      report.checked.cases += loaded.cases.length;
    }
    if (options.expressions) (report.expressions ??= []).push(...listExpressions(definitions, locator));
  }
  return report;
}
