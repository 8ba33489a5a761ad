/**
 * Secrets never reach a report: auth headers the engine marks as secret are masked, and any
 * credential value that would still appear in text (an echo in a body, an error) is scrubbed.
 */

const MASK = '****';

export function maskHeaders(headers: Record<string, string>, secretHeaders: readonly string[]): Record<string, string> {
  const secret = new Set(secretHeaders.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = secret.has(k.toLowerCase()) ? maskValue(v) : v;
  return out;
}

/** Keeps an auth scheme word (`Bearer`, `Basic`, a custom prefix) so the author still sees which scheme was used. */
export function maskValue(value: string): string {
  const m = value.match(/^([A-Za-z][A-Za-z0-9_-]{0,15}) +\S/);
  return m ? `${m[1]} ${MASK}` : MASK;
}

export function scrubSecrets(text: string, credentials: Record<string, unknown>): string {
  let out = text;
  const values = Object.values(credentials)
    .filter((v): v is string => typeof v === 'string' && v.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const value of values) {
    out = out.split(value).join(MASK);
    const encoded = Buffer.from(value).toString('base64');
    if (encoded.length >= 6) out = out.split(encoded).join(MASK);
  }
  return out;
}
