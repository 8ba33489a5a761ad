/** Header names as an integration declares them, in lower case: a handful per integration, remembered. */
const lowered = new Map<string, string>();

export function lowerCaseHeaderName(name: string): string {
  let out = lowered.get(name);
  if (out === undefined) {
    out = name.toLowerCase();
    if (lowered.size < 1000) lowered.set(name, out);
  }
  return out;
}
