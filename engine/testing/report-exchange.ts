import type { Exchange } from '../runtime/engine.js';
import { maskHeaders } from './mask.js';
import type { ReportedExchange } from './report-types.js';

/** One exchange as reports show it: secret headers masked, bodies as JSON, and what answered it. */
export function toReportedExchange(e: Exchange, answeredBy: string, error = e.error): ReportedExchange {
  return {
    step: e.step,
    attempt: e.attempt,
    request: {
      method: e.request.method,
      url: e.request.url,
      headers: maskHeaders(e.request.headers, e.request.secretHeaders),
      ...(e.request.json !== undefined ? { body: e.request.json } : {}),
    },
    ...(e.response ? { response: { status: e.response.status, headers: e.response.headers, ...(e.response.body !== undefined ? { body: e.response.body } : {}) } } : {}),
    ...(error ? { error } : {}),
    answeredBy,
  };
}
