/** The HTTP server for the unified API: routes from the catalogue, API-key auth, the store's accounts. */
export { createServer, type CreateServerOptions, type ServerAddress, type UnifiedServer } from './server.js';
export { DEFAULT_SERVER_LIMITS, LIMIT_ENV, limitsFromEnv, resolveLimits, type ServerLimits } from './limits.js';
export { createRouter, unifiedRoutes, type Route, type RouteMatch, type RouteSpec, type Router } from './router.js';
export { parseQueryString } from './query.js';
export type { AccessRecord } from './request-log.js';
export type { HealthReport } from './health.js';
