import { formatIssue } from '../errors.js';
import { formatCaseReport } from './report-text.js';
import type { CaseReport, RunReport } from './report-types.js';

/**
 * JUnit XML for CI dashboards: one testsuite per integration, one testcase per fixture case
 * (classname = integration.operation, name = case name, with file and line), inspect cases as
 * skipped, and fixture files that could not run as errors.
 */
export function formatJunitReport(report: RunReport): string {
  const suites = new Map<string, CaseReport[]>();
  for (const c of report.cases) suites.set(c.integration, [...(suites.get(c.integration) ?? []), c]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = report.summary;
  const totalTime = seconds(report.cases.reduce((t, c) => t + c.duration_ms, 0));
  out.push(`<testsuites name="unimap fixtures" tests="${s.total + s.problems}" failures="${s.failed}" errors="${s.problems}" skipped="${s.inspect}" time="${totalTime}">`);
  for (const [name, cases] of suites) {
    const failed = cases.filter((c) => c.status === 'failed').length;
    const skipped = cases.filter((c) => c.status === 'inspect').length;
    out.push(`  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(cases.reduce((t, c) => t + c.duration_ms, 0))}">`);
    for (const c of cases) {
      const open = `    <testcase classname="${attr(`${c.integration}.${c.operation.replace(/\//g, '.')}`)}" name="${attr(c.name)}" file="${attr(c.file)}" line="${c.line}" time="${seconds(c.duration_ms)}"`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (c.status === 'failed') {
        const first = c.failures[0];
        out.push(`      <failure message="${attr(first ? `${first.file}:${first.line}:${first.col} ${first.message}` : 'failed')}" type="${attr(first?.code ?? 'fixture')}">${text(formatCaseReport(c))}</failure>`);
      } else {
        out.push('      <skipped message="inspect mode: the case has no expect"/>');
        out.push(`      <system-out>${text(formatCaseReport(c))}</system-out>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  const errors = report.problems.filter((p) => p.severity !== 'warning');
  if (errors.length) {
    out.push(`  <testsuite name="fixture and definition files" tests="${errors.length}" failures="0" errors="${errors.length}" skipped="0" time="0">`);
    for (const p of errors) {
      out.push(`    <testcase classname="${attr(p.file)}" name="${attr(`${p.code} line ${p.line}`)}" file="${attr(p.file)}" line="${p.line}" time="0">`);
      out.push(`      <error message="${attr(p.message)}" type="${attr(p.code)}">${text(formatIssue(p))}</error>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** XML 1.0 cannot carry most control characters even escaped: drop them. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
