import type { RunReport } from './report-types.js';

/** The whole run as JSON, for tools: every case with its failures, exchanges and outcome. */
export function formatJsonReport(report: RunReport): string {
  return JSON.stringify({ ok: report.summary.failed === 0 && report.summary.problems === 0, ...report }, null, 2) + '\n';
}
