/**
 * The interpreter's guards for compiled code. Time is read from the clock only every few hundred
 * ticks (a tick per loop item, function call or trampoline bounce) so the check stays off the
 * profile. Depth counts what the interpreter counts, nested node evaluations: each compiled node
 * knows its static depth below the nearest function body, and `base` is the depth of the call that
 * entered that body, so `base + static depth` is exactly the interpreter's counter.
 */
import { fault } from './faults.js';

/** Ticks between two reads of the clock; also the budget a fresh evaluation starts with. */
export const CLOCK_READ_INTERVAL = 256;

export interface Guard {
  /** Evaluation depth at the entry of the function body now running (0 at top level). */
  base: number;
  readonly maxDepth: number;
  budget: number;
  readonly deadline: number;
  readonly timeoutMs: number;
  /** Fixed per evaluation, as `$now()` and `$millis()` must agree within one evaluation. */
  readonly timestamp: number;
}

export function tick(guard: Guard): void {
  if (--guard.budget < 0) {
    guard.budget = CLOCK_READ_INTERVAL;
    if (Date.now() > guard.deadline) throw fault('D1012', { value: guard.timeoutMs });
  }
}

export function depthExceeded(guard: Guard): never {
  throw fault('D1011', { value: guard.maxDepth });
}
