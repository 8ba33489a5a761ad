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

  return {
    routes,
    match(method, pathname) {
      let parts: string[];
      try {
        parts = split(pathname).map((s) => decodeURIComponent(s));
      } catch {
        return { kind: 'bad_path' };
      }
      const allow = new Set<string>();
      for (const route of routes) {
        const params = bind(route.segments, parts);
        if (!params) continue;
        if (route.method === method) return { kind: 'found', route, params };
        allow.add(route.method);
      }
      return allow.size ? { kind: 'method_not_allowed', allow: [...allow].sort() } : { kind: 'not_found' };
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

function bind(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ('literal' in seg) {
      if (seg.literal !== parts[i]) return undefined;
    } else {
      if (parts[i] === '') return undefined;
      params[seg.param] = parts[i];
    }
  }
  return params;
}
