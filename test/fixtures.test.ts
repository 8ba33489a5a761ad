import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../engine/errors.js';
import { formatCaseReport } from '../engine/testing/report-text.js';
import { planFixtures } from '../engine/testing/runner.js';
import { integrationsDir, repoRoot } from './support/paths.js';

/**
 * Every fixture case of every integration, one vitest test each, so an engine change that breaks
 * any definition fails CI with the runner's own report (file:line, diff, hint) as the message.
 */
const plan = await planFixtures({ paths: [integrationsDir], cwd: repoRoot });
afterAll(() => plan.close());

describe('mapping fixtures', () => {
  it('every fixture file loads, and every definition it tests', () => {
    const errors = plan.problems.filter((p) => p.severity !== 'warning').map(formatIssue);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  for (const c of plan.cases) {
    it(`${c.file}:${c.line} ${c.name}`, async (ctx) => {
      const report = await plan.run(c);
      if (report.status === 'failed') throw new Error(`\n${formatCaseReport(report)}`);
      // A case without `expect` asserts nothing: show it as skipped rather than as a pass.
      if (report.status === 'inspect') ctx.skip();
    });
  }
});
