/**
 * A clock the engine and a fake provider share. The engine's waits (Retry-After, rate-limit resets,
 * backoff) move it instead of sleeping, so retry tests run at once and can assert the exact waits;
 * the fake reads the same clock for its timestamps, Date headers and rate windows, so both agree.
 */

import type { EngineOptions } from '../../engine/index.js';

export class FakeClock {
  /** Epoch milliseconds. A test may set it to jump ahead (e.g. into the next rate window). */
  now: number;
  /** Every wait the engine asked for, in order. */
  sleeps: number[] = [];

  constructor(private readonly start: number) {
    this.now = start;
  }

  /** For `now` options (the engine's and the fakes'); bound, so it can be passed around. */
  readonly read = (): number => this.now;

  /** For the engine's `sleep`: records the wait and moves the clock by it. */
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.now += ms;
  };

  /** Back to the start time, with no waits recorded. */
  reset(): void {
    this.now = this.start;
    this.sleeps = [];
  }

  /**
   * The engine options that make its timing reproducible: this clock, and jitter pinned at 0.5 so a
   * full-jitter backoff of base B waits exactly B/2.
   */
  engineOptions(): Required<Pick<EngineOptions, 'now' | 'sleep' | 'random'>> {
    return { now: this.read, sleep: this.sleep, random: () => 0.5 };
  }
}
