import type { LoadedOperation } from '../definition/loaded.js';
import type { Logger } from '../logger.js';
import { createEngine, type Engine, type Exchange, type UnifiedResult } from '../runtime/engine.js';
import { ScriptedDispatcher, type Responder } from './scripted-dispatcher.js';

export interface HarnessOptions {
  integrationsDir: string;
  schemasDir: string;
  only?: string[];
  displayRoot?: string;
}

export interface HarnessCall {
  /** Distinct per case, so one case's exhausted rate-limit window never delays another. */
  accountId: string;
  operation: LoadedOperation;
  context: Record<string, unknown>;
  credentials: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
  /** The clock at the start of the call (epoch ms); every wait moves it forward. */
  now: number;
  respond: Responder;
  signal?: AbortSignal;
}

export interface CallOutcome {
  result?: UnifiedResult;
  error?: unknown;
  exchanges: Exchange[];
  /** Every wait the engine asked for, in milliseconds (none really happened). */
  waits: number[];
  /** The engine's log records during the call (retry decisions and their reasons). */
  logs: Record<string, unknown>[];
}

/**
 * The real engine, wired for offline runs: a scripted dispatcher instead of the network, a virtual
 * clock that only moves when the engine waits, instant but recorded sleeps, and fixed jitter.
 * Calls run one at a time, since they share the clock.
 */
export class Harness {
  private clock = 0;
  private waits: number[] = [];
  private logs: Record<string, unknown>[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly engine: Engine,
    private readonly dispatcher: ScriptedDispatcher,
  ) {}

  static async create(options: HarnessOptions): Promise<Harness> {
    const dispatcher = new ScriptedDispatcher(() => {
      throw new Error('no call in progress');
    });
    const state = { harness: undefined as Harness | undefined };
    const record = (level: string) => (r: Record<string, unknown>) => state.harness?.logs.push({ level, ...r });
    const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
    const engine = await createEngine({
      integrationsDir: options.integrationsDir,
      schemasDir: options.schemasDir,
      only: options.only,
      displayRoot: options.displayRoot,
      dispatcher,
      logger,
      now: () => state.harness!.clock,
      sleep: async (ms) => {
        state.harness!.waits.push(ms);
        state.harness!.clock += ms;
      },
      random: () => 0.5,
    });
    state.harness = new Harness(engine, dispatcher);
    return state.harness;
  }

  call(call: HarnessCall): Promise<CallOutcome> {
    const run = this.queue.then(() => this.run(call));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(call: HarnessCall): Promise<CallOutcome> {
    this.clock = call.now;
    this.waits = [];
    this.logs = [];
    this.dispatcher.responder = call.respond;
    const exchanges: Exchange[] = [];
    const outcome: CallOutcome = { exchanges, waits: this.waits, logs: this.logs };
    try {
      outcome.result = await this.engine.execute({
        account: { id: call.accountId, integration: call.operation.integration, context: call.context, credentials: call.credentials },
        model: call.operation.unified.model,
        resource: call.operation.unified.resource,
        method: call.operation.unified.method,
        query: call.query,
        body: call.body,
        signal: call.signal,
        onExchange: (exchange) => exchanges.push(exchange),
      });
    } catch (err) {
      outcome.error = err;
    }
    return outcome;
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
