/**
 * Whole-call deadlines on one shared timer. `AbortSignal.timeout` costs a timer, weak references and
 * a finalization registration per call (`AbortSignal.any` as much again), and even a bare
 * AbortController costs microseconds to create; here a call costs one small object. Deadlines of
 * the same length expire in the order they were set, so each length keeps a FIFO list and the one
 * timer waits for the earliest head.
 */

import type { CancelSignal } from './transport.js';

type Listener = (this: unknown, event: { type: 'abort' }) => void;

/** What a cancellation stops directly: a remote exchange (see transport.ts). */
export interface Stoppable {
  stop(reason: unknown): void;
}

/**
 * A call's cancellation: aborted by the caller's signal or at the deadline, whichever comes first.
 * It is an EventTarget as far as undici needs one (`aborted`, `reason`, `addEventListener` and
 * `removeEventListener` for `abort`, which undici documents for its `signal` option); a real
 * AbortSignal is made only when something asks for `signal` (a retry's sleep).
 */
export class CallCancel {
  aborted = false;
  reason: unknown = undefined;
  /** @internal list links of the timer */
  at = 0;
  prev: CallCancel | undefined = undefined;
  next: CallCancel | undefined = undefined;
  list: DeadlineList | undefined = undefined;
  outer: CancelSignal | undefined = undefined;
  onOuterAbort: (() => void) | undefined = undefined;
  private listeners: Listener[] | undefined = undefined;
  /** The remote exchange in progress, stopped on abort (see watch). */
  private exchange: Stoppable | undefined = undefined;
  private controller: AbortController | undefined = undefined;

  constructor(private readonly timer: DeadlineTimer | undefined) {}

  /** A standard AbortSignal that follows this cancellation (made on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = (this.controller = new AbortController());
      if (this.aborted) controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  addEventListener(type: string, listener: Listener): void {
    if (type !== 'abort' || this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    if (type !== 'abort' || !this.listeners) return;
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  /**
   * The one remote exchange in progress: stopped first on abort. A slot rather than a listener: with
   * an abort closure per exchange, V8 began allocating the calls' short-lived objects straight in
   * the old generation (allocation-site pretenuring), and engine CPU per users.get doubled in the
   * canned benchmark; `--no-allocation-site-pretenuring` gave the time back, and so does this.
   */
  watch(exchange: Stoppable): void {
    this.exchange = exchange;
  }

  unwatch(exchange: Stoppable): void {
    if (this.exchange === exchange) this.exchange = undefined;
  }

  /** The call is over: forget the deadline and stop listening to the caller's signal. Idempotent. */
  release(): void {
    this.timer?.unlink(this);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.release();
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const exchange = this.exchange;
    this.exchange = undefined;
    exchange?.stop(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener.call(this, { type: 'abort' });
  }
}

/**
 * A cancellation with no deadline of its own, for whoever hands a call its `signal` (the server,
 * one per request). Node's AbortController and the listener the engine adds to its signal cost
 * several microseconds per request; this costs one small object, and is all undici and the engine need.
 */
export function cancellation(): CallCancel {
  return new CallCancel(undefined);
}

export interface DeadlineList {
  ms: number;
  head?: CallCancel;
  tail?: CallCancel;
}

/** The largest delay setTimeout accepts; a longer deadline re-arms when this much has passed. */
const MAX_DELAY = 2 ** 31 - 1;

export class DeadlineTimer {
  private readonly lists = new Map<number, DeadlineList>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedAt = Infinity;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Starts a call that must end within `ms` milliseconds; `outer` (the caller's signal) cancels it too. */
  start(ms: number, outer?: CancelSignal): CallCancel {
    const cancel = new CallCancel(this);
    if (outer?.aborted) {
      cancel.abort(outer.reason);
      return cancel;
    }
    const key = Number.isFinite(ms) ? Math.max(0, ms) : MAX_DELAY;
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = { ms: key }));
    cancel.at = this.clock() + key;
    cancel.list = list;
    if (list.tail) {
      list.tail.next = cancel;
      cancel.prev = list.tail;
      list.tail = cancel;
    } else list.head = list.tail = cancel;
    if (cancel.at < this.armedAt) this.arm(cancel.at);
    if (outer) {
      cancel.outer = outer;
      cancel.onOuterAbort = () => cancel.abort(outer.reason);
      outer.addEventListener('abort', cancel.onOuterAbort, { once: true });
    }
    return cancel;
  }

  /** Deadlines still pending (for tests). */
  get pending(): number {
    let n = 0;
    for (const list of this.lists.values()) for (let e = list.head; e; e = e.next) n++;
    return n;
  }

  /** @internal */
  unlink(entry: CallCancel): void {
    if (entry.outer && entry.onOuterAbort) {
      entry.outer.removeEventListener('abort', entry.onOuterAbort);
      entry.outer = entry.onOuterAbort = undefined;
    }
    const list = entry.list;
    if (!list) return; // already unlinked
    entry.list = undefined;
    if (entry.prev) entry.prev.next = entry.next;
    else list.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else list.tail = entry.prev;
    entry.prev = entry.next = undefined;
    // An empty list is kept for the next call of the same length, unless lengths are many.
    if (!list.head && this.lists.size > 8) this.lists.delete(list.ms);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_DELAY, Math.max(0, Math.ceil(at - this.clock()))));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.clock();
    const expired: CallCancel[] = [];
    let next = Infinity;
    for (const list of [...this.lists.values()]) {
      while (list.head && list.head.at <= now) {
        const entry = list.head;
        expired.push(entry);
        this.unlink(entry);
      }
      if (list.head && list.head.at < next) next = list.head.at;
    }
    if (next < Infinity) this.arm(next);
    // One late firing can collect several lists: abort in deadline order, not list order.
    expired.sort((x, y) => x.at - y.at);
    for (const entry of expired) entry.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }
}
