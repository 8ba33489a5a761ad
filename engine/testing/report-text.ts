import { stringify } from 'yaml';
import { formatIssue } from '../errors.js';
import { show } from './diff.js';
import type { CaseFailure, CaseReport, ReportedExchange, RunReport } from './report-types.js';

/** The human report: problems first, then one block per case, then a summary line. */
export function formatTextReport(report: RunReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const errors = report.problems.filter((p) => p.severity !== 'warning');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  for (const p of errors) out.push(formatIssue(p));
  for (const p of warnings) out.push(formatIssue({ ...p, message: `warning: ${p.message}` }));
  if (report.problems.length) out.push('');
  for (const c of report.cases) out.push(formatCaseReport(c, options));
  const s = report.summary;
  const parts = [`${s.passed} passed`, `${s.failed} failed`];
  if (s.inspect) parts.push(`${s.inspect} inspect`);
  const problems = s.problems ? `; ${s.problems} problem${s.problems === 1 ? '' : 's'} in fixtures or definitions` : '';
  out.push(`${s.total} case${s.total === 1 ? '' : 's'}: ${parts.join(', ')}${problems}`);
  return out.join('\n') + '\n';
}

/** One case: `STATUS file:line name`, its failures with diffs and hints, and what was sent. */
export function formatCaseReport(c: CaseReport, options: { verbose?: boolean } = {}): string {
  const label = c.status === 'passed' ? 'PASS' : c.status === 'failed' ? 'FAIL' : 'INSPECT';
  const out = [`${label} ${c.file}:${c.line} ${c.name} (${c.duration_ms} ms)`];
  for (const f of c.failures) out.push(...formatFailure(f));
  if (c.status === 'inspect') {
    out.push('  no `expect` in this case: showing what the definition produced');
    out.push(...formatExchanges(c.exchanges, true).map((l) => `  ${l}`));
    out.push(...formatOutcome(c, true).map((l) => `  ${l}`));
    out.push('  to keep this as a test, paste into the case (replace stand-in responses with real ones first):');
    out.push(...pasteReady(c).map((l) => `    ${l}`));
  } else if (c.status === 'failed' || options.verbose) {
    if (c.exchanges.length) {
      out.push('  requests sent:');
      out.push(...formatExchanges(c.exchanges, options.verbose === true).map((l) => `    ${l}`));
    }
    out.push(...formatOutcome(c, options.verbose === true).map((l) => `  ${l}`));
  }
  for (const note of c.notes) out.push(`  note: ${note}`);
  return out.join('\n');
}

function formatFailure(f: CaseFailure): string[] {
  const out = [`  ${f.file}:${f.line}:${f.col} ${f.code} ${f.message}`];
  for (const d of f.details) out.push(`      ${d.text}${d.line ? `  (line ${d.line})` : ''}`);
  if (f.hint) out.push(`    hint: ${f.hint}`);
  return out;
}

export function formatExchanges(exchanges: ReportedExchange[], full: boolean): string[] {
  const out: string[] = [];
  exchanges.forEach((e, i) => {
    const attempt = e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
    out.push(`${i + 1}. ${e.step}${attempt}: ${e.request.method} ${e.request.url}`);
    if (full) {
      for (const [k, v] of Object.entries(e.request.headers)) out.push(`     ${k}: ${v}`);
      out.push(`     body: ${e.request.body === undefined ? '(none)' : show(e.request.body, 500)}`);
    } else if (e.request.body !== undefined) out.push(`     body: ${show(e.request.body, 200)}`);
    if (e.response) {
      out.push(`   <- ${e.response.status}${e.response.body === undefined ? '' : ` ${show(e.response.body, full ? 500 : 120)}`}  [${e.answeredBy}]`);
    } else out.push(`   <- no response: ${e.error ?? 'failed'}  [${e.answeredBy}]`);
  });
  return out;
}

function formatOutcome(c: CaseReport, full: boolean): string[] {
  const out: string[] = [];
  if (c.result) {
    out.push(`result: ${c.result.status}${Object.keys(c.result.headers).length ? ` ${show(c.result.headers)}` : ''}`);
    if (full) out.push(...JSON.stringify(c.result.body, null, 2).split('\n').map((l) => `  ${l}`));
    else out.push(`  ${show(c.result.body, 1000)}`);
  } else if (c.error) {
    out.push(`error: ${c.error.statusCode} ${c.error.kind}: ${c.error.message}`);
    if (c.error.remote_status !== undefined) out.push(`  remote ${c.error.remote_status}: ${show(c.error.remote_body, 300)}`);
  }
  if (c.waits_ms.length) out.push(`waits: ${c.waits_ms.join(', ')} ms`);
  return out;
}

/** The exchanges and expectation a case produced, as fixture YAML the author can paste. */
function pasteReady(c: CaseReport): string[] {
  const exchanges = c.exchanges.map((e) => {
    const url = new URL(e.request.url);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [...[query[k]].flat(), v] : v;
    return {
      step: e.step,
      request: { method: e.request.method, path: url.pathname, ...(Object.keys(query).length ? { query } : {}), ...(e.request.body !== undefined ? { body: e.request.body } : {}) },
      response: { status: e.response?.status ?? 200, ...(e.response?.body !== undefined ? { body: e.response.body } : {}) },
    };
  });
  const standIns = c.exchanges.some((e) => e.answeredBy.startsWith('stand-in'));
  if (standIns) return stringify({ exchanges }, { lineWidth: 0 }).trimEnd().split('\n').concat('# add `expect:` once the responses above are real ones');
  const expect = c.result
    ? { body: c.result.body, ...(Object.keys(c.result.headers).length ? { headers: c.result.headers } : {}) }
    : c.error
      ? { error: { status: c.error.statusCode, kind: c.error.kind, message: c.error.message } }
      : {};
  return stringify({ exchanges, expect }, { lineWidth: 0 }).trimEnd().split('\n');
}
