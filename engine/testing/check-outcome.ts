import { isUnifiedError, type UnifiedError } from '../errors.js';
import { positionAt, type PathSegment } from '../loader/yaml-source.js';
import type { DefinitionLocator } from './definition-locator.js';
import { describeDiff, diffValues, show, type DiffEntry } from './diff.js';
import type { ExpectedError, FixtureCase } from './fixture-types.js';
import type { CallOutcome } from './harness.js';
import type { CaseFailure, ReportDetail } from './report-types.js';

/**
 * Compares what the call produced with the case's `expect`: the result (status, body or
 * body_contains, headers) or the error (status, kind, message, remote status and code), and the
 * waits. A result that breaks the unified schema always fails, even in inspect mode.
 */
export function checkOutcome(c: FixtureCase, outcome: CallOutcome, locator: DefinitionLocator, options: { standIns?: boolean } = {}): CaseFailure[] {
  const failures: CaseFailure[] = [];
  const expect = c.expect;
  const at = (...rest: PathSegment[]) => c.at('expect', ...rest);
  // Failures about a whole expectation point at its key; diff lines point at each expected value.
  const place = (path: PathSegment[]) => ({ file: c.file, ...positionAt(c.source, path, { key: path.length > 0 }) });
  const detail = (text: string, path: PathSegment[]): ReportDetail => ({ text, ...positionAt(c.source, path) });
  const mappingAt = () => locator.at(c.operation.file, ['response', 'mapping']);
  const error = outcome.error;

  if (error !== undefined && !isUnifiedError(error)) {
    failures.push({
      code: 'fixture.engine-crash',
      ...place(expect ? at() : []),
      message: `the engine failed with an unexpected ${(error as Error)?.name ?? 'error'}: ${(error as Error)?.message ?? String(error)}`,
      hint: 'This is a bug in the engine, not in the fixture: report it with this fixture attached.',
      details: String((error as Error)?.stack ?? '').split('\n').slice(1, 6).map((l) => ({ text: l.trim() })),
    });
    return failures;
  }
  // With stand-in responses ({} bodies) a mapping cannot produce a real object: that is not its fault.
  if (isUnifiedError(error) && isNonConforming(error) && options.standIns) return failures;
  if (isUnifiedError(error) && isNonConforming(error) && expect?.error?.kind !== 'definition_error') {
    failures.push({
      code: 'fixture.nonconforming-result',
      ...place(expect?.body !== undefined ? at('body') : expect ? at() : []),
      message: `the mapped result does not conform to the unified ${c.operation.unified.resource.replace(/s$/, '')} schema`,
      hint: `Fix response.mapping at ${mappingAt()} so each field has the type the unified schema declares (or leave a field out).`,
      details: (error.details ?? []).map((d) => ({ text: `${d.path}: ${d.message}` })),
    });
    return failures;
  }
  if (!expect) return failures;

  if (expect.error) {
    if (!isUnifiedError(error)) {
      const result = outcome.result!;
      failures.push({
        code: 'fixture.expected-error',
        ...place(at('error')),
        message: `expected the call to fail${describeExpectedError(expect.error)}, but it succeeded with status ${result.status}`,
        hint: 'Check the canned responses: the one that should fail needs its error status and body.',
        details: [{ text: `body: ${show(result.body, 200)}` }],
      });
    } else {
      const details = compareError(expect.error, error).map((d) => detail(d.text, at('error', d.field)));
      if (details.length) {
        failures.push({
          code: 'fixture.error-mismatch',
          ...place(at('error')),
          message: `the unified error differs from expect.error (${details.length} difference${details.length === 1 ? '' : 's'}); got ${error.statusCode} ${error.kind}: ${error.message}`,
          hint: 'If the engine is right, update expect.error; otherwise fix the integration\'s `errors` rules or the canned error response.',
          details,
        });
      }
    }
  } else if (isUnifiedError(error)) {
    const envelope = error.toEnvelope();
    failures.push({
      code: 'fixture.unexpected-error',
      ...place(at()),
      message: `the call failed with ${envelope.statusCode} ${envelope.kind}: ${envelope.message}`,
      hint: `If this failure is what the case is about, expect it: \`error: { status: ${envelope.statusCode}, kind: ${envelope.kind} }\`. Otherwise check the request and the canned responses.`,
      details: [
        ...(envelope.details ?? []).map((d) => ({ text: `${d.path}: ${d.message}` })),
        ...(envelope.remote_status !== undefined ? [{ text: `remote answered ${envelope.remote_status}: ${show(envelope.remote_body, 200)}` }] : []),
      ],
    });
  } else if (outcome.result) {
    const result = outcome.result;
    const expectedStatus = expect.status ?? 200;
    if (result.status !== expectedStatus) {
      failures.push({ code: 'fixture.status-mismatch', ...place(at('status')), message: `expected status ${expectedStatus}, got ${result.status}`, hint: 'Update expect.status.', details: [] });
    }
    for (const [field, mode] of [['body', 'equal'], ['body_contains', 'contains']] as const) {
      if (expect[field] === undefined) continue;
      const entries = diffValues(expect[field], result.body, mode);
      if (!entries.length) continue;
      failures.push({
        code: 'fixture.result-mismatch',
        ...place(at(field)),
        message: `the unified result differs from expect.${field} (${entries.length} difference${entries.length === 1 ? '' : 's'})`,
        hint: `If the definition is right, update expect.${field}; otherwise fix response.mapping at ${mappingAt()}.`,
        details: entries.map((e) => detail(describeDiff('body', e), at(field, ...e.path))),
      });
    }
  }

  if (expect.headers) {
    const actual = outcome.result?.headers ?? (isUnifiedError(error) ? (error.headers ?? {}) : {});
    const details: ReportDetail[] = [];
    for (const [name, value] of Object.entries(expect.headers)) {
      const got = actual[name.toLowerCase()];
      if (got !== String(value)) details.push(detail(`headers.${name}: expected ${show(String(value))}, got ${got === undefined ? 'nothing' : show(got)}`, at('headers', name)));
    }
    if (details.length) {
      failures.push({
        code: 'fixture.headers-mismatch',
        ...place(at('headers')),
        message: `the unified response headers differ from expect.headers; got ${show(actual, 200)}`,
        hint: 'ratelimit-* headers come from the last response that carried rate-limit headers, read against the case\'s `now`.',
        details,
      });
    }
  }
  if (expect.waits_ms) {
    const entries: DiffEntry[] = diffValues(expect.waits_ms, outcome.waits, 'equal');
    if (entries.length) {
      failures.push({
        code: 'fixture.waits-mismatch',
        ...place(at('waits_ms')),
        message: `expected waits ${show(expect.waits_ms)} ms, got ${show(outcome.waits)} ms`,
        hint: 'A wait for a rate-limit reset is the reset time minus `now`, plus 250 ms; a backoff is half the exponential delay (the runner fixes jitter at 0.5).',
        details: outcome.logs.filter((l) => l.delay_ms !== undefined).map((l) => ({ text: `${String(l.msg)}: ${String(l.reason ?? '')} (${String(l.delay_ms)} ms)` })),
      });
    }
  }
  return failures;
}

function isNonConforming(error: UnifiedError): boolean {
  return error.kind === 'definition_error' && (error.details ?? []).some((d) => d.path === 'result' || d.path.startsWith('result.'));
}

function compareError(expected: ExpectedError, error: UnifiedError): { field: string; text: string }[] {
  const envelope = error.toEnvelope();
  const out: { field: string; text: string }[] = [];
  const check = (field: keyof ExpectedError, want: unknown, got: unknown) => {
    if (want !== undefined && want !== got) out.push({ field, text: `error.${field}: expected ${show(want)}, got ${show(got)}` });
  };
  check('status', expected.status, envelope.statusCode);
  check('kind', expected.kind, envelope.kind);
  check('remote_status', expected.remote_status, envelope.remote_status);
  check('remote_code', expected.remote_code, envelope.remote_code);
  if (expected.message !== undefined && !envelope.message.includes(expected.message)) {
    out.push({ field: 'message', text: `error.message: expected to contain ${show(expected.message)}, got ${show(envelope.message, 200)}` });
  }
  if (expected.message_pattern !== undefined && !new RegExp(expected.message_pattern).test(envelope.message)) {
    out.push({ field: 'message_pattern', text: `error.message: expected to match /${expected.message_pattern}/, got ${show(envelope.message, 200)}` });
  }
  return out;
}

function describeExpectedError(e: ExpectedError): string {
  const parts = [e.status, e.kind].filter((p) => p !== undefined);
  return parts.length ? ` (${parts.join(' ')})` : '';
}
