import type { UnifiedCatalog, UnifiedMethod } from '../definition/loaded.js';

/**
 * A small method + path router. `{name}` in a template matches one non-empty, percent-decoded
 * segment; a template with more literal segments wins over one with fewer (`/groups/add` before
 * `/groups/{id}`), and a path that fits only under other methods is a 405 with their list.
 */

type Segment = { literal: string } | { param: string };

export interface RouteSpec<T> {
  method: string;
  /** e.g. `/unified/user-directory/groups/{id}`; this is what request logs show, never the raw URL. */
  template: string;
  target: T;
}

export interface Route<T> extends RouteSpec<T> {
  segments: Segment[];
  specificity: number;
}

export type RouteMatch<T> =
  | { kind: 'found'; route: Route<T>; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' }
  /** A segment is not valid percent-encoding. */
  | { kind: 'bad_path' };

export interface Router<T> {
  readonly routes: readonly Route<T>[];
  match(method: string, pathname: string): RouteMatch<T>;
}

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function createRouter<T>(specs: RouteSpec<T>[]): Router<T> {
  const routes: Route<T>[] = [];
  const claimed = new Map<string, string>();
  for (const spec of specs) {
    const segments = split(spec.template).map((s): Segment => {
      const m = PARAM.exec(s);
      return m ? { param: m[1] } : { literal: s };
    });
    // Two routes with one method and one shape would leave the second unreachable.
    const shape = `${spec.method} /${segments.map((s) => ('param' in s ? '{}' : s.literal)).join('/')}`;
    const clash = claimed.get(shape);
    if (clash) throw new Error(`routes ${clash} and ${spec.template} both claim ${shape}`);
    claimed.set(shape, spec.template);
    routes.push({ ...spec, segments, specificity: segments.filter((s) => 'literal' in s).length });
  }
  routes.sort((a, b) => b.specificity - a.specificity);
  // Only routes with as many segments as the path can match it; each list keeps the order above.
  const bySegmentCount = new Map<number, Route<T>[]>();
  for (const route of routes) {
    const list = bySegmentCount.get(route.segments.length);
    if (list) list.push(route);
    else bySegmentCount.set(route.segments.length, [route]);
  }

  // Every literal segment of every route, as the route holds it. A path segment equal to one is
  // swapped for that very string, so the route comparisons below are comparisons of one string
  // with itself (a pointer check) instead of character by character: one hash per segment
  // instead of a full comparison per route tried.
  const literals = new Map<string, string>();
  for (const route of routes) for (const seg of route.segments) if ('literal' in seg) literals.set(seg.literal, seg.literal);

  return {
    routes,
    match(method, pathname) {
      const parts = split(pathname);
      try {
        for (let i = 0; i < parts.length; i++) {
          // Without a `%` there is nothing to decode (and nothing to fail).
          const part = parts[i].includes('%') ? decodeURIComponent(parts[i]) : parts[i];
          parts[i] = literals.get(part) ?? part;
        }
      } catch {
        return { kind: 'bad_path' };
      }
      let allow: Set<string> | undefined;
      for (const route of bySegmentCount.get(parts.length) ?? []) {
        if (!fits(route.segments, parts)) continue;
        if (route.method === method) return { kind: 'found', route, params: bind(route.segments, parts) };
        (allow ??= new Set()).add(route.method);
      }
      return allow ? { kind: 'method_not_allowed', allow: [...allow].sort() } : { kind: 'not_found' };
    },
  };
}

/** One route per method of the unified catalogue: `/unified/<model><http.path>`. */
export function unifiedRoutes(catalog: UnifiedCatalog): RouteSpec<UnifiedMethod>[] {
  return [...catalog.methods.values()].map((unified) => ({
    method: unified.spec.http.method,
    template: `/unified/${unified.model}${unified.spec.http.path.startsWith('/') ? '' : '/'}${unified.spec.http.path}`,
    target: unified,
  }));
}

/** `/a/b/` and `/a/b` are one route; an empty segment (`/a//b`) matches nothing. */
function split(pathname: string): string[] {
  const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  return trimmed.split('/').slice(1);
}

/** Whether a path (split and decoded, as long as the route) fits the route's segments. */
function fits(segments: Segment[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ('literal' in seg ? seg.literal !== parts[i] : parts[i] === '') return false;
  }
  return true;
}

/** The parameters of a path that fits. */
function bind(segments: Segment[], parts: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ('param' in seg) params[seg.param] = parts[i];
  }
  return params;
}
