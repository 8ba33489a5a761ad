import { positionAt } from '../loader/yaml-source.js';
import type { Exchange } from '../runtime/engine.js';
import type { DefinitionLocator } from './definition-locator.js';
import type { FixtureCase } from './fixture-types.js';
import type { Unmatched } from './fixture-responder.js';
import type { CaseFailure } from './report-types.js';
import { describeActual, describeExpected, type RequestDifference } from './request-match.js';
import type { InterceptedRequest } from './scripted-dispatcher.js';
import { stepForRequest } from './step-match.js';

const FIELD_OF: Record<RequestDifference['what'], string> = { method: 'method', path: 'path', query: 'query', header: 'headers', body: 'body' };

/**
 * The failure for a request no exchange matches: placed on the field of the nearest exchange that
 * differs, naming the first difference, with the fix on either side (the fixture, or the step).
 */
export function unmatchedFailure(c: FixtureCase, u: Unmatched, exchange: Exchange | undefined, locator: DefinitionLocator): CaseFailure {
  const sent = describeActual(u.request);
  const step = exchange?.step ?? stepForRequest(c.operation, u.request.method, u.request.path)?.spec.name;
  const stepIndex = c.operation.steps.findIndex((s) => s.spec.name === step);
  const stepAt = stepIndex >= 0 ? locator.at(c.operation.file, ['steps', stepIndex]) : c.operation.file;
  const by = step ? ` (step ${step})` : '';
  if (!u.nearest) {
    const at = c.exchanges?.length ? c.at('exchanges', c.exchanges.length - 1) : c.at('exchanges');
    return {
      code: 'fixture.unexpected-request',
      file: c.file,
      ...positionAt(c.source, at),
      message: `request ${u.index}${by} ${sent} was not expected: all ${c.exchanges?.length ?? 0} exchanges were already used`,
      hint: `If the definition should send it, add an exchange for it at the end of \`exchanges:\`; otherwise fix step ${step ?? '?'} at ${stepAt}.`,
      details: [],
    };
  }
  const expected = c.exchanges![u.nearest.exchange];
  const first = u.nearest.differences[0];
  const field = first ? FIELD_OF[first.what] : undefined;
  const inRequest = field && (expected.request as unknown as Record<string, unknown>)[field] !== undefined ? [field] : [];
  return {
    code: 'fixture.unmatched-request',
    file: c.file,
    ...positionAt(c.source, c.at('exchanges', u.nearest.exchange, 'request', ...inRequest)),
    message: `request ${u.index}${by} matches no exchange; nearest is exchanges[${u.nearest.exchange}]: expected ${describeExpected(expected.request)}, got ${sent}: ${first?.text ?? 'differs'}`,
    hint: `If the definition is right, ${fixHint(u.nearest.exchange, first, u.request)}; otherwise fix step ${step ?? '?'} at ${stepAt}.`,
    details: u.nearest.differences.length > 1 ? u.nearest.differences.map((d) => ({ text: d.text })) : [],
  };
}

function fixHint(index: number, first: RequestDifference | undefined, sent: InterceptedRequest): string {
  const target = `exchanges[${index}].request`;
  if (first?.what === 'path') return `set ${target}.path to ${JSON.stringify(sent.path.split('?', 1)[0])}`;
  if (first?.what === 'method') return `set ${target}.method to ${sent.method}`;
  const field = first ? FIELD_OF[first.what] : 'request';
  return `update ${target}.${field} to match what was sent`;
}
