import type { DefinitionIssue, ErrorEnvelope } from '../errors.js';

/** What the runner found, in a shape every reporter (text, JSON, JUnit) renders from. */

export interface ReportDetail {
  text: string;
  /** Where in the fixture the expectation behind this line is written. */
  line?: number;
  col?: number;
}

export interface CaseFailure {
  code: string;
  file: string;
  line: number;
  col: number;
  message: string;
  hint?: string;
  details: ReportDetail[];
}

export interface ReportedExchange {
  step: string;
  attempt: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response?: { status: number; headers: Record<string, string>; body?: unknown };
  error?: string;
  /** Which exchange answered it (`exchanges[1] (line 30)`), or that a stand-in did. */
  answeredBy: string;
}

export interface CaseReport {
  file: string;
  line: number;
  name: string;
  description?: string;
  integration: string;
  operation: string;
  /** `inspect`: the case has no `expect`, so the output is shown rather than checked. */
  status: 'passed' | 'failed' | 'inspect';
  failures: CaseFailure[];
  exchanges: ReportedExchange[];
  result?: { status: number; headers: Record<string, string>; body: unknown };
  error?: ErrorEnvelope & { headers?: Record<string, string> };
  waits_ms: number[];
  notes: string[];
  duration_ms: number;
}

export interface RunReport {
  cases: CaseReport[];
  /** Fixture files that could not be run (invalid, or their definition does not load), with why. */
  problems: DefinitionIssue[];
  summary: { total: number; passed: number; failed: number; inspect: number; problems: number };
}

export function summarize(cases: CaseReport[], problems: DefinitionIssue[]): RunReport['summary'] {
  const count = (s: CaseReport['status']) => cases.filter((c) => c.status === s).length;
  const errors = problems.filter((p) => p.severity !== 'warning').length;
  return { total: cases.length, passed: count('passed'), failed: count('failed'), inspect: count('inspect'), problems: errors };
}

export function runSucceeded(report: RunReport): boolean {
  return report.summary.failed === 0 && report.summary.problems === 0;
}
