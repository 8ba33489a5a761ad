import type { LoadedIntegration, LoadedOperation } from '../definition/loaded.js';
import { DefinitionLoadError, isUnifiedError, type DefinitionIssue, type ErrorEnvelope } from '../errors.js';
import { closest } from '../loader/spelling.js';
import { standIn, toScripted } from './canned.js';
import { fakeCredentials } from './fake-credentials.js';
import type { ExchangeSpec, RemoteResponseSpec } from './fixture-types.js';
import { Harness } from './harness.js';
import { toReportedExchange } from './report-exchange.js';
import type { ReportedExchange } from './report-types.js';
import { compareRequest, describeExpected } from './request-match.js';
import type { Responder } from './scripted-dispatcher.js';
import { stepForRequest } from './step-match.js';

export interface ExplainInput {
  integrationsDir: string;
  schemasDir: string;
  displayRoot: string;
  integration: string;
  /** `model/resource/method`, or `resource.method` when only one model has it. */
  operation: string;
  context?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  now?: number;
  /** Canned responses by step name; the last one given for a step answers every later request of it. */
  responses?: Map<string, RemoteResponseSpec[]>;
  /** A fixture's exchanges, answering requests in order (matching ones first). */
  exchanges?: ExchangeSpec[];
}

export interface ExplainResult {
  integration: string;
  operation: string;
  file: string;
  context: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
  exchanges: ReportedExchange[];
  result?: { status: number; headers: Record<string, string>; body: unknown };
  error?: ErrorEnvelope;
  waits_ms: number[];
  notes: string[];
}

/** Why explain could not run at all: the definitions do not load, or the names are wrong. */
export class ExplainSetupError extends Error {
  constructor(
    message: string,
    readonly issues: DefinitionIssue[] = [],
  ) {
    super(message);
    this.name = 'ExplainSetupError';
  }
}

/**
 * Runs one unified call through the real engine with no network: each remote request is recorded
 * and answered from the canned responses given, or by a stand-in success so that later steps are
 * still shown. Nothing reaches a provider.
 */
export async function explain(input: ExplainInput): Promise<ExplainResult> {
  let harness: Harness;
  try {
    harness = await Harness.create({ integrationsDir: input.integrationsDir, schemasDir: input.schemasDir, only: [input.integration], displayRoot: input.displayRoot });
  } catch (err) {
    if (err instanceof DefinitionLoadError) throw new ExplainSetupError(`the definitions of ${input.integration} do not load`, err.issues);
    throw err;
  }
  try {
    const integration = harness.engine.definitions.integrations.get(input.integration);
    if (!integration) {
      const known = [...harness.engine.definitions.integrations.keys()];
      throw new ExplainSetupError(`there is no integration "${input.integration}"${hint(input.integration, known)}`);
    }
    const operation = findOperation(integration, input.operation);
    const stepNames = operation.steps.map((s) => s.spec.name);
    for (const name of input.responses?.keys() ?? []) {
      if (!stepNames.includes(name)) throw new ExplainSetupError(`--response ${name}=…: ${operation.key} has no step "${name}"${hint(name, stepNames)}`);
    }
    const notes: string[] = [];
    let context = input.context;
    if (!context) {
      context = exampleContext(integration);
      notes.push(`no --context given: used the examples of context_schema (${JSON.stringify(context)})`);
    }
    const credentials = input.credentials ?? fakeCredentials(integration.spec.auth);
    const answers: string[] = [];
    const outcome = await harness.call({
      accountId: 'explain',
      operation,
      context,
      credentials,
      query: input.query ?? {},
      body: input.body,
      now: input.now ?? Date.now(),
      respond: responder(operation, input, answers),
    });
    const exchanges = outcome.exchanges.map((e, i) => toReportedExchange(e, answers[i] ?? ''));
    if (answers.some((a) => a.startsWith('stand-in'))) {
      notes.push('requests marked "stand-in" had no canned response: they got an empty success so every later step is still shown, and the result is not what the provider would return. Give real ones with --response <step>=<json or @file> (or --fixture).');
    }
    const result: ExplainResult = {
      integration: integration.name,
      operation: operation.key,
      file: operation.file,
      context,
      query: input.query ?? {},
      ...(input.body !== undefined ? { body: input.body } : {}),
      exchanges,
      waits_ms: outcome.waits,
      notes,
    };
    if (outcome.result) result.result = { status: outcome.result.status, headers: outcome.result.headers, body: outcome.result.body };
    else if (isUnifiedError(outcome.error)) result.error = outcome.error.toEnvelope();
    else if (outcome.error) throw outcome.error;
    return result;
  } finally {
    await harness.close();
  }
}

function responder(operation: LoadedOperation, input: ExplainInput, answers: string[]): Responder {
  const used = new Set<number>();
  let lastStep = -1;
  return (request) => {
    const step = stepForRequest(operation, request.method, request.path, lastStep);
    if (step) lastStep = step.index;
    const queue = step ? input.responses?.get(step.spec.name) : undefined;
    if (queue?.length) {
      answers.push('--response');
      return toScripted(queue.length > 1 ? queue.shift()! : queue[0]);
    }
    if (input.exchanges) {
      const unused = input.exchanges.map((_, i) => i).filter((i) => !used.has(i));
      const exact = unused.find((i) => compareRequest(input.exchanges![i].request, request).length === 0);
      const pick = exact ?? unused[0];
      if (pick !== undefined) {
        used.add(pick);
        const differs = exact === undefined ? compareRequest(input.exchanges[pick].request, request)[0]?.text : undefined;
        answers.push(`fixture exchanges[${pick}]${differs ? ` (expected ${describeExpected(input.exchanges[pick].request)}: ${differs})` : ''}`);
        return toScripted(input.exchanges[pick].response);
      }
    }
    const { response, note } = standIn(step);
    answers.push(note);
    return response;
  };
}

export function findOperation(integration: LoadedIntegration, name: string): LoadedOperation {
  const byKey = integration.operations.get(name);
  if (byKey) return byKey;
  const all = [...integration.operations.values()];
  const short = all.filter((o) => `${o.unified.resource}.${o.unified.method}` === name || `${o.unified.resource}/${o.unified.method}` === name);
  if (short.length === 1) return short[0];
  const names = name.includes('/') ? all.map((o) => o.key) : all.map((o) => `${o.unified.resource}.${o.unified.method}`);
  throw new ExplainSetupError(`${integration.name} has no operation "${name}"${hint(name, names)}`);
}

function hint(word: string, known: string[]): string {
  const guess = closest(word, known);
  return guess ? `; did you mean "${guess}"?` : known.length ? `; known: ${known.join(', ')}` : '';
}

/** A context built from the first example of each property of context_schema. */
function exampleContext(integration: LoadedIntegration): Record<string, unknown> {
  const props = (integration.spec.context_schema.properties ?? {}) as Record<string, { examples?: unknown[]; default?: unknown }>;
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(props)) {
    if (prop.examples?.length) out[name] = prop.examples[0];
  }
  return out;
}
