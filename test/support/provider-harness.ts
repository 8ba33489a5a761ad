/**
 * The setup the provider test files share: one engine per file that loads only the integration under
 * test, and a fresh fake provider for every test, both on one FakeClock that goes back to `start`
 * before each test. A fresh fake per test keeps state and queued faults from leaking between tests.
 */

import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

import { createEngine, type Engine } from '../../engine/index.js';
import { FakeClock } from './fake-clock.js';

export interface ProviderHarnessOptions<F extends { close(): Promise<void> }, O extends { now?: () => number }> {
  integration: string;
  /** Epoch milliseconds the clock starts from in every test. */
  start: number;
  /** Starts a fake with a test's options; `now` is the shared clock unless those options set one. */
  // Optional, so TS infers O from a `startFakeX(options?: XOptions)` passed as it is.
  startFake: (options?: O) => Promise<F>;
  /** Sees each fake as it starts, so the file can keep it in a plain variable its tests read. */
  onStart: (fake: F) => void;
}

export interface ProviderHarness<F, O> {
  readonly clock: FakeClock;
  /** The file's engine; there from the file's beforeAll on. */
  readonly engine: Engine;
  /** Closes the running fake and starts another with these options, for tests that need other settings. */
  restart(options?: O): Promise<F>;
}

/** Registers the hooks at the top level of the calling file. */
export function useProviderHarness<F extends { close(): Promise<void> }, O extends { now?: () => number }>({
  integration,
  start,
  startFake,
  onStart,
}: ProviderHarnessOptions<F, O>): ProviderHarness<F, O> {
  const clock = new FakeClock(start);
  let engine: Engine | undefined;
  let fake: F | undefined;

  const restart = async (options?: O): Promise<F> => {
    await fake?.close();
    fake = await startFake({ now: clock.read, ...options } as O);
    onStart(fake);
    return fake;
  };

  beforeAll(async () => {
    engine = await createEngine({ only: [integration], ...clock.engineOptions() });
  });
  afterAll(async () => {
    await engine?.close();
  });
  beforeEach(async () => {
    clock.reset();
    await restart();
  });
  afterEach(async () => {
    await fake?.close();
  });

  return {
    clock,
    get engine() {
      if (!engine) throw new Error(`the ${integration} engine is only there once beforeAll has run`);
      return engine;
    },
    restart,
  };
}
