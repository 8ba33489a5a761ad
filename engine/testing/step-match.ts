import type { LoadedOperation, LoadedStep } from '../definition/loaded.js';

/**
 * Which step of an operation a remote request belongs to, from its method and path alone (the
 * dispatcher sees HTTP, not steps). A step whose template matches the whole path beats one that only
 * matches its end (the base URL may add a prefix); among equals, the first step after `after` wins,
 * since steps run in order.
 */
export function stepForRequest(operation: LoadedOperation, method: string, pathWithQuery: string, after = -1): LoadedStep | undefined {
  const path = pathWithQuery.split('?', 1)[0];
  let best: { step: LoadedStep; rank: number } | undefined;
  for (const step of operation.steps) {
    if (step.spec.method !== method.toUpperCase()) continue;
    const body = templatePattern(step);
    const rank = new RegExp(`^${body}$`).test(path) ? 0 : new RegExp(`${body}$`).test(path) ? 2 : -1;
    if (rank < 0) continue;
    const ordered = rank + (step.index > after ? 0 : 1);
    if (!best || ordered < best.rank) best = { step, rank: ordered };
  }
  return best?.step;
}

function templatePattern(step: LoadedStep): string {
  return step.pathParts
    .map((part) => ('literal' in part ? part.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : part.multi ? '.+' : '[^/]+'))
    .join('');
}
