/**
 * Matches a raw pathname against a route template such as `/api/v1/groups/{groupId}/users/{userId}`.
 * Segments are compared still percent-encoded and each `{param}` is decoded on its own, so an encoded
 * `/` stays inside its parameter instead of changing the route. An empty or undecodable parameter is
 * no match, which the fakes then answer as their provider answers an unknown path.
 */
export function matchPathTemplate(template: string, pathname: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}
