import path from 'node:path';
import type { Dispatcher } from 'undici';
import type { LoadedDefinitions, LoadedIntegration, LoadedOperation, LoadedStep } from '../definition/loaded.js';
import { UnifiedError } from '../errors.js';
import { defaultExpressionCompiler } from '../expression/index.js';
import { DEFAULT_EVALUATION_LIMITS, type EvaluationLimits, type ExpressionCompiler } from '../expression/types.js';
import { loadDefinitionsOrThrow } from '../loader/index.js';
import { silentLogger, type Logger } from '../logger.js';
import { packageRoot } from '../package-root.js';
import { applyAuth } from './auth.js';
import { AccountContexts } from './account-context.js';
import { DeadlineTimer, type CallCancel } from './deadline.js';
import { evaluateNowOrFail, evaluateOrFail } from './evaluate.js';
import { isPlainObject } from './merge.js';
import { lowerCaseHeaders, planRequest, type RemoteRequest, type RequestScope, type StepResult } from './plan-request.js';
import { rateLimitHeaders, RateLimitTracker, readRateLimit, type RateLimitInfo } from './rate-limit.js';
import { decodeCursor, encodeCursor, nextPageState, pageRequest, pageSize, slicePage, type PageState } from './pagination.js';
import { mapRemoteError } from './remote-error.js';
import { shapeResult } from './response-format.js';
import { backoffMs, type RetryPolicy } from './retry.js';
import { createDefaultDispatcher, DEFAULT_TRANSPORT_LIMITS, sendRequest, TransportError, type CancelSignal, type RemoteResponse, type TransportLimits } from './transport.js';
import { parseUnifiedQuery, type ResponseOptions } from './unified-request.js';
import { validateInput } from './validate-input.js';

export interface EngineOptions {
  /** Already-loaded definitions (e.g. from `loadDefinitions`, or the test runner's), used as they are. */
  definitions?: LoadedDefinitions;
  /** Folder of integration definitions. Default: the package's integrations/. */
  integrationsDir?: string;
  /** Folder of schemas (definition meta-schemas and unified models). Default: the package's schemas/. */
  schemasDir?: string;
  /** Load only these integrations. */
  only?: string[];
  /** undici dispatcher for remote calls (a keep-alive Agent by default; a MockAgent in tests). */
  dispatcher?: Dispatcher;
  /** Evaluator for mapping expressions. Default: JSONata compiled to JavaScript per expression, falling back to the interpreter for what it does not compile; both time-boxed by the evaluation limits. */
  compiler?: ExpressionCompiler;
  evaluationLimits?: EvaluationLimits;
  transportLimits?: Partial<TransportLimits>;
  /** Whole-call deadline in milliseconds, all steps and retries included. Default 30 000. */
  callTimeoutMs?: number;
  /** Upper bound on any single wait for a rate-limit reset or a backoff. Default 30 000. */
  maxRetryWaitMs?: number;
  /** What to do when a mapped result does not conform to the unified schema. Default `error` (a 502 naming the fields). */
  outputValidation?: 'error' | 'warn';
  logger?: Logger;
  /** Injected for tests: the clock (epoch ms), the sleep between retries, the jitter source. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** File names in definition errors are shown relative to this folder. */
  displayRoot?: string;
}

/** The account a call acts for. Credentials are only ever read by auth. */
export interface Account {
  id?: string;
  integration: string;
  context: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

export interface UnifiedCall {
  account: Account;
  model: string;
  resource: string;
  method: string;
  /** The parsed query string: operation parameters, `truto_*` options and `remote_query`. */
  query?: Record<string, unknown>;
  /** The unified request body; `remote_data` in it is passed to the remote API. */
  body?: unknown;
  /** Cancels the call: an AbortSignal, or any object with the same `aborted`, `reason` and abort listeners. */
  signal?: AbortSignal | CancelSignal;
  /** Overrides the engine's whole-call deadline for this call. */
  timeoutMs?: number;
  /** Sees every remote exchange (for explain, recording and debugging). */
  onExchange?: (exchange: Exchange) => void;
  /** Request id for log correlation. */
  requestId?: string;
}

export interface Exchange {
  step: string;
  attempt: number;
  request: RemoteRequest;
  response?: RemoteResponse;
  error?: string;
}

export interface UnifiedResult {
  status: number;
  body: unknown;
  /** Normalized `ratelimit-*` headers when the provider reported its limits. */
  headers: Record<string, string>;
}

export interface Engine {
  readonly definitions: LoadedDefinitions;
  execute(call: UnifiedCall): Promise<UnifiedResult>;
  /** The operation an integration provides for a unified method, if any. */
  operation(integration: string, model: string, resource: string, method: string): LoadedOperation | undefined;
  close(): Promise<void>;
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const root = packageRoot();
  const limits = options.evaluationLimits ?? DEFAULT_EVALUATION_LIMITS;
  const definitions =
    options.definitions ??
    (await loadDefinitionsOrThrow({
      integrationsDir: path.resolve(options.integrationsDir ?? path.join(root, 'integrations')),
      schemasDir: path.resolve(options.schemasDir ?? path.join(root, 'schemas')),
      compiler: options.compiler ?? defaultExpressionCompiler(limits),
      only: options.only,
      displayRoot: options.displayRoot,
    }));
  return new RuntimeEngine(definitions, options);
}

class RuntimeEngine implements Engine {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** Integrations that declare their own connect timeout get their own keep-alive pool. */
  private readonly dispatchers = new Map<number, Dispatcher>();
  private readonly transport: TransportLimits;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly tracker = new RateLimitTracker();
  private readonly contexts = new AccountContexts();
  private readonly deadlines = new DeadlineTimer();
  private readonly policies = new WeakMap<LoadedIntegration, RetryPolicy>();

  constructor(
    readonly definitions: LoadedDefinitions,
    private readonly options: EngineOptions,
  ) {
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher ?? createDefaultDispatcher();
    this.transport = { ...DEFAULT_TRANSPORT_LIMITS, ...options.transportLimits };
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
  }

  operation(integration: string, model: string, resource: string, method: string): LoadedOperation | undefined {
    return this.definitions.integrations.get(integration)?.operations.get(`${model}/${resource}/${method}`);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await Promise.all([this.dispatcher, ...this.dispatchers.values()].map((d) => d.close()));
  }

  async execute(call: UnifiedCall): Promise<UnifiedResult> {
    const key = `${call.model}/${call.resource}/${call.method}`;
    if (!this.definitions.catalog.methods.has(key)) {
      throw new UnifiedError('not_found', `There is no unified operation ${key}`);
    }
    const integration = this.definitions.integrations.get(call.account.integration);
    if (!integration) {
      throw new UnifiedError('not_implemented', `The integration "${call.account.integration}" is not available on this server`);
    }
    const operation = integration.operations.get(key);
    if (!operation) {
      throw new UnifiedError('not_implemented', `${integration.spec.label} does not support ${key}`);
    }

    const { query, remoteQuery, options } = parseUnifiedQuery(call.query ?? {});
    if (call.body !== undefined && call.body !== null && !isPlainObject(call.body)) {
      throw new UnifiedError('invalid_request', 'The request body must be a JSON object', { details: [{ path: 'body', message: 'must be an object' }] });
    }
    const body = (call.body ?? {}) as Record<string, unknown>;
    validateInput(operation, body, query);
    const remoteData = body.remote_data;
    const unifiedBody = 'remote_data' in body ? withoutRemoteData(body) : body;

    const { context, baseUrl, json } = this.contexts.resolve(integration, call.account.context);
    const auth = applyAuth(integration.spec.auth, call.account.credentials);

    const deadlineMs = call.timeoutMs ?? this.options.callTimeoutMs ?? 30_000;
    const deadline = this.now() + deadlineMs;
    const cancel = this.deadlines.start(deadlineMs, call.signal);
    try {
      const accountKey = `${integration.name}:${call.account.id ?? json ?? JSON.stringify(call.account.context)}`;
      const scope: RequestScope = { body: unifiedBody, query, context, steps: {} };
      const ctx: SendContext = { cancel, deadline, accountKey, call, request: { body: unifiedBody, query } };
      const isList = operation.unified.spec.result === 'list';
      let lastRateLimit: RateLimitInfo | undefined;
      let page: (Page & { response: RemoteResponse; rateLimits: RateLimitInfo[] }) | undefined;
      const responses: (RemoteResponse | undefined)[] = [];
      const staticHeaders = lowerCaseHeaders(integration.spec.headers ?? NO_HEADERS);
      for (const step of operation.steps) {
        if (step.when) {
          let run = evaluateNowOrFail(step.when, scope, scope as never);
          if (run instanceof Promise) run = await run;
          if (!run) continue;
        }
        let request = planRequest(step, scope, { baseUrl, staticHeaders, auth, remoteQuery, remoteData });
        if (request instanceof Promise) request = await request;
        let outcome: { response: RemoteResponse; rateLimits: RateLimitInfo[] };
        if (isList && step.index === operation.responseSteps[0]) {
          const fetched = await this.fetchPage(integration, operation, step, request, query, ctx);
          page = fetched;
          outcome = fetched;
        } else outcome = await this.send(integration, step, request, ctx);
        for (const info of outcome.rateLimits) if (hasAny(info)) lastRateLimit = info;
        const res = outcome.response;
        responses[step.index] = res;
        scope.steps[step.spec.name] = { status: res.status, headers: res.headers, body: res.body } satisfies StepResult;
      }

      const headers = lastRateLimit ? rateLimitHeaders(lastRateLimit, this.now()) : {};
      const mainResponse = pickResponse(operation.responseSteps, responses);
      const bindings = {
        request: { body: unifiedBody, query },
        context,
        steps: scope.steps,
        status: mainResponse?.status,
        headers: mainResponse?.headers,
      };
      // remote_data is the parsed remote body itself: evaluation never changes its input (see Expression).
      if (isList) {
        const items = page?.items ?? [];
        const next_cursor = page?.next ? encodeCursor(page.next) : null;
        if (options.format === 'raw') return { status: 200, body: { result: items, next_cursor, result_count: items.length }, headers };
        const plain = isDefaultShape(options);
        const result: Record<string, unknown>[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) {
          let mapped = this.mapOne(operation, items[i], bindings, call, items[i]);
          if (mapped instanceof Promise) mapped = await mapped;
          result[i] = plain ? mapped : shapeResult(mapped, operation.unified, options);
        }
        return { status: 200, body: { result, next_cursor, result_count: result.length }, headers };
      }
      if (options.format === 'raw') {
        return { status: 200, body: mainResponse?.body ?? null, headers };
      }
      const remoteBody = mainResponse?.body;
      let mapped = this.mapOne(operation, remoteBody ?? null, bindings, call, remoteBody === undefined ? undefined : isPlainObject(remoteBody) ? remoteBody : { value: remoteBody });
      if (mapped instanceof Promise) mapped = await mapped;
      return { status: 200, body: isDefaultShape(options) ? mapped : shapeResult(mapped, operation.unified, options), headers };
    } finally {
      cancel.release();
    }
  }

  /** Maps one remote object to the unified model, attaches remote_data and checks the result. */
  private mapOne(operation: LoadedOperation, input: unknown, bindings: Record<string, unknown>, call: UnifiedCall, remoteData: unknown): Record<string, unknown> | Promise<Record<string, unknown>> {
    const mapped = evaluateNowOrFail(operation.mapping, input, bindings);
    if (mapped instanceof Promise) return mapped.then((value) => this.finishMapped(operation, value, call, remoteData));
    return this.finishMapped(operation, mapped, call, remoteData);
  }

  private finishMapped(operation: LoadedOperation, mapped: unknown, call: UnifiedCall, remoteData: unknown): Record<string, unknown> {
    if (!isPlainObject(mapped)) {
      throw new UnifiedError('definition_error', `The response mapping of ${operation.file} must produce an object, got ${mapped === undefined ? 'nothing' : Array.isArray(mapped) ? 'a list' : typeof mapped}`, { source: operation.file });
    }
    // remote_data must never land on an object the mapping took from its input: unless the mapping
    // always builds its result (see buildsFreshObject), a copy. Object.assign rather than a spread:
    // V8 gives a spread copy a map that adding remote_data then turns slow for the validator too
    // (about 3 µs an item); assign would call a `__proto__` setter, so not for that key.
    const result: Record<string, unknown> = operation.freshResult
      ? mapped
      : Object.prototype.hasOwnProperty.call(mapped, '__proto__')
        ? { ...mapped }
        : Object.assign({}, mapped);
    if (remoteData !== undefined && !('remote_data' in result)) result.remote_data = remoteData;
    this.checkOutput(operation, result, call);
    return result;
  }

  /**
   * Reads one page of a list: the caller's cursor and limit become the provider's paging parameters.
   * Empty pages that still have a successor are skipped (up to max_pages), and a cursor that repeats
   * ends the list instead of looping.
   */
  private async fetchPage(
    integration: LoadedIntegration,
    operation: LoadedOperation,
    step: LoadedStep,
    request: RemoteRequest,
    query: Record<string, unknown>,
    ctx: SendContext,
  ): Promise<Page & { response: RemoteResponse; rateLimits: RateLimitInfo[] }> {
    const pagination = operation.pagination;
    const limit = parseLimit(query.limit);
    let state: PageState | undefined = query.next_cursor === undefined ? undefined : decodeCursor(query.next_cursor);
    if (state && !pagination) throw new UnifiedError('invalid_request', `${integration.spec.label} returns this list in one page; next_cursor is not accepted`, { details: [{ path: 'query.next_cursor', message: 'is not supported here' }] });
    const size = pagination ? pageSize(pagination, limit) : undefined;
    const maxPages = pagination?.spec.max_pages ?? 5;
    const seen = new Set<string>();
    const rateLimits: RateLimitInfo[] = [];
    for (let pages = 1; ; pages++) {
      const pageReq = pagination ? pageRequest(request, pagination, state, size) : request;
      const { response, rateLimits: infos } = await this.send(integration, step, pageReq, ctx);
      rateLimits.push(...infos);
      let items = operation.items ? evaluateNowOrFail(operation.items, response.body, { headers: response.headers, status: response.status }) : response.body;
      if (items instanceof Promise) items = await items;
      items = items === undefined || items === null ? [] : Array.isArray(items) ? items : [items];
      const list = items as unknown[];
      if (!pagination) return { response, items: list, rateLimits };
      if (pagination.spec.type === 'in_memory') return { response, ...slicePage(list, state, size), rateLimits };
      seen.add(state ? encodeCursor(state) : '');
      let next = await nextPageState(pagination, pageReq, response, state, list.length, size);
      if (next && seen.has(encodeCursor(next))) {
        this.logger.warn({ msg: 'pagination cursor repeated; ending the list', integration: integration.name, operation: operation.key, request_id: ctx.call.requestId });
        next = undefined;
      }
      if (list.length === 0 && next && pages < maxPages) {
        state = next;
        continue;
      }
      return { response, items: list, next, rateLimits };
    }
  }
  private checkOutput(operation: LoadedOperation, result: Record<string, unknown>, call: UnifiedCall): void {
    const validate = operation.unified.validateResource;
    if (validate(result)) return;
    const details = (validate.errors ?? []).map((e) => ({ path: `result${e.instancePath.replace(/\//g, '.')}`, message: `${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}` }));
    const message = `The mapped ${operation.unified.resource} does not conform to the unified schema (${operation.file}): ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`;
    if ((this.options.outputValidation ?? 'error') === 'warn') {
      this.logger.warn({ msg: 'unified output does not conform', operation: operation.key, integration: operation.integration, request_id: call.requestId, details });
      return;
    }
    throw new UnifiedError('definition_error', message, { status: 502, details, source: operation.file });
  }

  /** Sends one step's request with the integration's retry and rate-limit policy. */
  private async send(
    integration: LoadedIntegration,
    step: LoadedStep,
    request: RemoteRequest,
    ctx: SendContext,
  ): Promise<{ response: RemoteResponse; rateLimits: RateLimitInfo[] }> {
    const policy = this.policyFor(integration);
    for (let attempt = 1; ; attempt++) {
      const waited = this.waitForWindow(ctx, policy, integration, step);
      if (waited) await waited;
      let response: RemoteResponse;
      try {
        response = await sendRequest(this.dispatcherFor(integration), request, this.limitsFor(integration), ctx.cancel);
        ctx.call.onExchange?.({ step: step.spec.name, attempt, request, response });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        ctx.call.onExchange?.({ step: step.spec.name, attempt, request, error: err.message });
        const delay = backoffMs(policy, attempt, this.random);
        const retryable = (err.reason === 'network' || err.reason === 'timeout') && step.idempotent && !ctx.cancel.aborted;
        if (retryable && attempt < policy.maxAttempts && this.now() + delay < ctx.deadline) {
          this.logRetry(integration, step, ctx, `${err.reason}: ${err.message}`, attempt, delay);
          await this.sleep(delay, ctx.cancel.signal).catch(() => undefined);
          continue;
        }
        throw transportFailure(integration, step, err);
      }

      const rateLimit = readRateLimit(integration.spec.rate_limit, response.headers, this.now);
      this.tracker.record(ctx.accountKey, rateLimit);
      const ok = step.success ? step.success.has(response.status) : response.status >= 200 && response.status < 300;
      if (!ok && step.successWhen && (await evaluateOrFail(step.successWhen, response.body, { status: response.status, headers: response.headers, request: ctx.request }))) {
        // The provider reports a state that is already what was asked (e.g. a duplicate membership).
        this.logger.info({ msg: 'remote error accepted as success', status: response.status, integration: integration.name, step: step.spec.name, request_id: ctx.call.requestId });
        return { response, rateLimits: [rateLimit] };
      }
      if (ok) {
        if (response.malformed || (typeof response.body === 'string' && response.body.trim().length > 0)) {
          throw new UnifiedError('remote_error', `${integration.spec.label} (${step.spec.name}) answered ${response.status} with a body that is not valid JSON (${response.headers['content-type'] ?? 'no content-type'})`, {
            status: 502,
            remote: { status: response.status, body: truncate(response.text) },
          });
        }
        return { response, rateLimits: [rateLimit] };
      }

      const rateLimited = await this.isRateLimited(integration, response);
      if (rateLimited && attempt < policy.maxAttempts) {
        const hinted = rateLimit.retryAfterMs ?? (rateLimit.resetAt !== undefined ? Math.max(0, rateLimit.resetAt - this.now()) : undefined);
        // The provider's reset can be a second early by its own clock; a small margin avoids a second 429.
        const wait = hinted !== undefined ? hinted + (rateLimit.retryAfterMs === undefined ? 250 : 0) : backoffMs(policy, attempt, this.random);
        if (wait <= policy.maxDelayMs && this.now() + wait < ctx.deadline) {
          this.logRetry(integration, step, ctx, `rate limited (${response.status})`, attempt, wait);
          await this.sleep(wait, ctx.cancel.signal).catch(() => undefined);
          if (!ctx.cancel.aborted) continue;
        }
      } else if (!rateLimited && response.status >= 500 && step.idempotent && attempt < policy.maxAttempts) {
        // A 503 may say when to come back (Retry-After); otherwise back off exponentially.
        const delay = rateLimit.retryAfterMs !== undefined ? Math.min(rateLimit.retryAfterMs, policy.maxDelayMs) : backoffMs(policy, attempt, this.random);
        if (this.now() + delay < ctx.deadline) {
          this.logRetry(integration, step, ctx, `remote status ${response.status}`, attempt, delay);
          await this.sleep(delay, ctx.cancel.signal).catch(() => undefined);
          if (!ctx.cancel.aborted) continue;
        }
      }
      throw await mapRemoteError(integration, response, step.spec.name, rateLimited, rateLimitHeaders(rateLimit, this.now()));
    }
  }

  private policyFor(integration: LoadedIntegration): RetryPolicy {
    let policy = this.policies.get(integration);
    if (!policy) {
      policy = {
        maxAttempts: integration.spec.retry?.max_attempts ?? 3,
        baseDelayMs: integration.spec.retry?.base_delay_ms ?? 200,
        maxDelayMs: Math.min(integration.spec.retry?.max_delay_ms ?? 30_000, this.options.maxRetryWaitMs ?? 30_000),
      };
      this.policies.set(integration, policy);
    }
    return policy;
  }

  private logRetry(integration: LoadedIntegration, step: LoadedStep, ctx: SendContext, reason: string, attempt: number, delayMs: number): void {
    this.logger.warn({ msg: 'retrying remote request', reason, attempt, delay_ms: Math.round(delayMs), integration: integration.name, step: step.spec.name, request_id: ctx.call.requestId });
  }

  private dispatcherFor(integration: LoadedIntegration): Dispatcher {
    const connectMs = integration.spec.timeouts?.connect_ms;
    if (!this.ownsDispatcher || connectMs === undefined) return this.dispatcher;
    let dispatcher = this.dispatchers.get(connectMs);
    if (!dispatcher) this.dispatchers.set(connectMs, (dispatcher = createDefaultDispatcher(connectMs)));
    return dispatcher;
  }

  private limitsFor(integration: LoadedIntegration): TransportLimits {
    const t = integration.spec.timeouts;
    if (!t) return this.transport;
    return { ...this.transport, headersTimeoutMs: t.headers_ms ?? this.transport.headersTimeoutMs, bodyTimeoutMs: t.body_ms ?? this.transport.bodyTimeoutMs };
  }

  /** Honours a window the provider reported as exhausted, instead of spending a request on a sure 429. */
  private waitForWindow(ctx: SendContext, policy: RetryPolicy, integration: LoadedIntegration, step: LoadedStep): Promise<void> | undefined {
    if (!this.tracker.tracks(ctx.accountKey)) return undefined;
    const wait = this.tracker.waitMs(ctx.accountKey, this.now());
    if (wait <= 0) return undefined;
    if (wait > policy.maxDelayMs || this.now() + wait >= ctx.deadline) {
      throw new UnifiedError('rate_limited', `${integration.spec.label} rate limit is exhausted for this account; it resets in ${Math.ceil(wait / 1000)} s`, {
        headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(wait / 1000)) },
      });
    }
    this.logger.warn({ msg: 'waiting for rate-limit window', delay_ms: wait, integration: integration.name, step: step.spec.name, request_id: ctx.call.requestId });
    return this.sleep(wait, ctx.cancel.signal).catch(() => undefined);
  }

  private async isRateLimited(integration: LoadedIntegration, response: RemoteResponse): Promise<boolean> {
    if (!integration.rateLimitDetect) return response.status === 429;
    try {
      return Boolean(await integration.rateLimitDetect.evaluate(structuredClone(response.body), { status: response.status, headers: response.headers }));
    } catch {
      return response.status === 429;
    }
  }
}

interface SendContext {
  cancel: CallCancel;
  deadline: number;
  accountKey: string;
  call: UnifiedCall;
  /** The unified request, for expressions that judge a remote answer against it. */
  request: { body: Record<string, unknown>; query: Record<string, unknown> };
}

interface Page {
  items: unknown[];
  next?: PageState;
}

/** The first candidate response step that ran and has a body, else the first that ran at all. */
function pickResponse(candidates: number[], responses: (RemoteResponse | undefined)[]): RemoteResponse | undefined {
  let first: RemoteResponse | undefined;
  for (const i of candidates) {
    const r = responses[i];
    if (r === undefined) continue;
    if (r.body !== undefined) return r;
    first ??= r;
  }
  return first;
}

const NO_HEADERS: Record<string, string> = {};

function withoutRemoteData(body: Record<string, unknown>): Record<string, unknown> {
  const { remote_data: _remoteData, ...rest } = body;
  return rest;
}

/** The response options every call gets unless it asks otherwise: the mapped result as it is. */
function isDefaultShape(options: ResponseOptions): boolean {
  return options.format === 'unified' && !options.ignoreRemoteData && options.excludeFields.length === 0;
}

function parseLimit(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UnifiedError('invalid_request', 'limit must be a positive integer', { details: [{ path: 'query.limit', message: 'must be a positive integer' }] });
  }
  return n;
}

function transportFailure(integration: LoadedIntegration, step: LoadedStep, err: TransportError): UnifiedError {
  const what = `${integration.spec.label} (${step.spec.name})`;
  switch (err.reason) {
    case 'timeout':
      return new UnifiedError('remote_timeout', `${what} did not answer in time`, { cause: err });
    case 'too_large':
      return new UnifiedError('remote_error', `${what} answered with ${err.message}`, { status: 502, cause: err });
    case 'aborted':
      return new UnifiedError('unavailable', `${what}: the call was cancelled`, { status: 503, cause: err });
    default:
      return new UnifiedError('remote_error', `${what}: ${err.message}`, { status: 502, cause: err });
  }
}

function hasAny(info: RateLimitInfo): boolean {
  return info.limit !== undefined || info.remaining !== undefined || info.resetAt !== undefined || info.retryAfterMs !== undefined;
}

function truncate(text: string): string {
  return text.length > 2048 ? `${text.slice(0, 2048)}…` : text;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
