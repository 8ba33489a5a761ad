import { positionAt } from '../loader/yaml-source.js';
import { standIn, toScripted } from './canned.js';
import type { FixtureCase } from './fixture-types.js';
import type { CaseFailure } from './report-types.js';
import { compareRequest, describeActual, describeExpected, type RequestDifference } from './request-match.js';
import type { InterceptedRequest, ScriptedResponse } from './scripted-dispatcher.js';
import { stepForRequest } from './step-match.js';

export interface Intercepted {
  request: InterceptedRequest;
  /** The exchange that answered it. */
  exchange?: number;
  /** Set when a stand-in answered it (inspect mode without exchanges). */
  note?: string;
}

export interface Unmatched {
  /** 1-based number of the request in the call. */
  index: number;
  request: InterceptedRequest;
  nearest?: { exchange: number; differences: RequestDifference[] };
}

/**
 * Answers a case's remote requests from its exchanges: each request must match the next unused
 * exchange (a match further down is used but reported as out of order). A request that matches none
 * aborts the call through `controller`, since anything after it would only be a consequence.
 */
export class FixtureResponder {
  readonly intercepted: Intercepted[] = [];
  readonly used = new Set<number>();
  readonly failures: CaseFailure[] = [];
  unmatched?: Unmatched;

  constructor(
    private readonly c: FixtureCase,
    private readonly controller: AbortController,
  ) {}

  get usedStandIns(): boolean {
    return this.intercepted.some((r) => r.note !== undefined);
  }

  respond(request: InterceptedRequest): ScriptedResponse {
    const { c } = this;
    const record: Intercepted = { request };
    this.intercepted.push(record);
    if (!c.exchanges) {
      const before = this.intercepted[this.intercepted.length - 2];
      const previous = before ? (stepForRequest(c.operation, before.request.method, before.request.path)?.index ?? -1) : -1;
      const { response, note } = standIn(stepForRequest(c.operation, request.method, request.path, previous));
      record.note = note;
      return response;
    }
    const candidates = c.exchanges.map((_, i) => i).filter((i) => !this.used.has(i));
    const scored = candidates.map((i) => ({ exchange: i, differences: compareRequest(c.exchanges![i].request, request) }));
    const match = scored.find((s) => s.differences.length === 0);
    if (match) {
      if (match.exchange !== candidates[0]) this.failures.push(this.outOfOrder(request, match.exchange, candidates[0]));
      this.used.add(match.exchange);
      record.exchange = match.exchange;
      return toScripted(c.exchanges[match.exchange].response);
    }
    const nearest = scored.sort((a, b) => weight(a.differences) - weight(b.differences) || a.exchange - b.exchange)[0];
    this.unmatched = { index: this.intercepted.length, request, nearest };
    this.controller.abort(new Error('unmatched request'));
    throw new Error('the request matches no exchange of the fixture');
  }

  private outOfOrder(request: InterceptedRequest, matched: number, skipped: number): CaseFailure {
    const { c } = this;
    return {
      code: 'fixture.exchange-order',
      file: c.file,
      ...positionAt(c.source, c.at('exchanges', matched)),
      message: `request ${this.intercepted.length} (${describeActual(request)}) matches exchanges[${matched}], but exchanges[${skipped}] (${describeExpected(c.exchanges![skipped].request)}) is listed before it`,
      hint: 'List exchanges in the order the definition sends them (its steps run top to bottom, a retried request once per attempt).',
      details: [],
    };
  }
}

function weight(differences: RequestDifference[]): number {
  return differences.reduce((sum, d) => sum + d.weight, 0);
}
