import type { LoadedDefinitions } from '../definition/loaded.js';

export interface HealthReport {
  status: 'ok';
  version: string;
  uptime_s: number;
  integrations: { name: string; label: string; operations: string[] }[];
}

/** What `GET /health` answers: enough for a probe and for an operator checking what was loaded. */
export function healthReport(definitions: LoadedDefinitions, version: string, startedAt: number, now: number): HealthReport {
  return {
    status: 'ok',
    version,
    uptime_s: Math.floor((now - startedAt) / 1000),
    integrations: [...definitions.integrations.values()]
      .map((i) => ({ name: i.name, label: i.spec.label, operations: [...i.operations.keys()].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
