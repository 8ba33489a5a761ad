import { isUnifiedError } from '../errors.js';
import { positionAt, type PathSegment } from '../loader/yaml-source.js';
import type { Exchange } from '../runtime/engine.js';
import { checkOutcome } from './check-outcome.js';
import type { DefinitionLocator } from './definition-locator.js';
import { FixtureResponder, type Intercepted } from './fixture-responder.js';
import type { FixtureCase } from './fixture-types.js';
import type { Harness } from './harness.js';
import { toReportedExchange } from './report-exchange.js';
import type { CaseFailure, CaseReport, ReportedExchange } from './report-types.js';
import { describeActual, describeExpected } from './request-match.js';
import { unmatchedFailure } from './unmatched-failure.js';

/**
 * Runs one fixture case through the real engine and checks it: every request must match the next
 * expected exchange, every exchange must be used, and the result (or error) must be what `expect`
 * says. All failures are collected, the likely cause first.
 */
export async function runCase(c: FixtureCase, harness: Harness, locator: DefinitionLocator): Promise<CaseReport> {
  const started = performance.now();
  const controller = new AbortController();
  const responder = new FixtureResponder(c, controller);
  const notes: string[] = [];
  const place = (at: PathSegment[]) => ({ file: c.file, ...positionAt(c.source, at) });

  const outcome = await harness.call({
    accountId: `fixture:${c.file}#${c.name}`,
    operation: c.operation,
    context: c.account.context,
    credentials: c.account.credentials,
    query: c.query,
    body: c.body,
    now: c.now,
    respond: (request) => responder.respond(request),
    signal: controller.signal,
  });
  const { intercepted, used, unmatched } = responder;

  const failures: CaseFailure[] = [...responder.failures];
  // Reported after the outcome: an exchange is usually unused because the call failed before it.
  const later: CaseFailure[] = [];
  if (unmatched) {
    failures.push(unmatchedFailure(c, unmatched, outcome.exchanges[unmatched.index - 1], locator));
    notes.push(`the call was stopped at request ${unmatched.index}: later exchanges and the expected result were not checked`);
  } else {
    c.exchanges?.forEach((exchange, i) => {
      if (used.has(i)) return;
      later.push({
        code: 'fixture.unused-exchange',
        ...place(c.at('exchanges', i)),
        message: `exchanges[${i}] (${describeExpected(exchange.request)}) was never requested`,
        hint: outcome.error
          ? 'The call failed before sending it (see the error above): fix that first, or remove this exchange if the failure is what the case is about.'
          : `Remove it if the definition no longer sends it; otherwise check the step that should (a \`when\` that is false skips a step). Requests sent: ${intercepted.map((r) => describeActual(r.request)).join(', ') || 'none'}.`,
        details: [],
      });
    });
  }
  intercepted.forEach((record, i) => {
    const expectedStep = record.exchange === undefined ? undefined : c.exchanges?.[record.exchange]?.step;
    const actualStep = outcome.exchanges[i]?.step;
    if (expectedStep !== undefined && actualStep !== undefined && expectedStep !== actualStep) {
      later.push({
        code: 'fixture.wrong-step',
        ...place(c.at('exchanges', record.exchange!, 'step')),
        message: `exchanges[${record.exchange}] was sent by step "${actualStep}", not "${expectedStep}"`,
        hint: `Set step: ${actualStep}, or remove \`step\` from the exchange.`,
        details: [],
      });
    }
  });
  if (!unmatched) failures.push(...checkOutcome(c, outcome, locator, { standIns: responder.usedStandIns }));
  failures.push(...later);
  if (responder.usedStandIns) notes.push('no exchanges declared: every request got a stand-in success response, so the result is not what the provider would produce');

  const report: CaseReport = {
    file: c.file,
    line: c.line,
    name: c.name,
    description: c.description,
    integration: c.integration,
    operation: c.operation.key,
    status: failures.length ? 'failed' : c.expect ? 'passed' : 'inspect',
    failures,
    exchanges: outcome.exchanges.map((e, i) => reported(c, e, intercepted[i])),
    waits_ms: outcome.waits,
    notes,
    duration_ms: Math.round(performance.now() - started),
  };
  const error = outcome.error;
  if (outcome.result) report.result = { status: outcome.result.status, headers: outcome.result.headers, body: outcome.result.body };
  else if (isUnifiedError(error) && !unmatched) report.error = { ...error.toEnvelope(), ...(error.headers ? { headers: error.headers } : {}) };
  else if (error && !unmatched) report.error = { statusCode: 500, error: 'Internal Server Error', message: String((error as Error)?.stack ?? error), kind: 'internal' };
  return report;
}

function reported(c: FixtureCase, e: Exchange, record: Intercepted | undefined): ReportedExchange {
  if (record?.exchange !== undefined) return toReportedExchange(e, `exchanges[${record.exchange}] (line ${positionAt(c.source, c.at('exchanges', record.exchange)).line})`);
  if (record?.note !== undefined) return toReportedExchange(e, record.note);
  // The transport's wording ("the call was cancelled") would hide why the runner stopped the request.
  return toReportedExchange(e, 'no exchange matched', e.error === undefined ? undefined : 'no exchange matched this request');
}
