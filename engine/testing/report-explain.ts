import { show } from './diff.js';
import type { ExplainResult } from './explain.js';
import { formatExchanges } from './report-text.js';

/** What `explain` prints: the call, every request with headers (secrets masked) and body, and the outcome. */
export function formatExplain(r: ExplainResult): string {
  const out = [`${r.integration} ${r.operation}  (${r.file})`, `context: ${JSON.stringify(r.context)}`];
  if (Object.keys(r.query).length) out.push(`query: ${JSON.stringify(r.query)}`);
  if (r.body !== undefined) out.push(`body: ${JSON.stringify(r.body)}`);
  out.push('');
  if (r.exchanges.length) out.push(...formatExchanges(r.exchanges, true));
  else out.push('no remote request was sent');
  out.push('');
  if (r.result) {
    out.push(`result: ${r.result.status}${Object.keys(r.result.headers).length ? ` ${show(r.result.headers)}` : ''}`);
    out.push(JSON.stringify(r.result.body, null, 2));
  } else if (r.error) {
    out.push(`error: ${r.error.statusCode} ${r.error.kind}: ${r.error.message}`);
    for (const d of r.error.details ?? []) out.push(`  ${d.path}: ${d.message}`);
    if (r.error.remote_status !== undefined) out.push(`  remote ${r.error.remote_status}: ${show(r.error.remote_body, 500)}`);
  }
  if (r.waits_ms.length) out.push(`waits: ${r.waits_ms.join(', ')} ms (not really waited)`);
  for (const note of r.notes) out.push(`note: ${note}`);
  return out.join('\n') + '\n';
}
