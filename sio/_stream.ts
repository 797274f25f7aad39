/**
 * Internal: {@link ChangeStream}, the async iterator behind `addressListChanges` and
 * `routingInterfaceChanges` — a notification re-armed before each read, so that no change falls
 * between two waits, with a clean end on abort and on `return()`.
 *
 * @module
 */

import type { Armed } from "./_async.ts";

/** How an armed wait ended (never a rejected Promise: nobody may be awaiting it yet). */
type Outcome = { readonly failed: false } | { readonly failed: true; readonly error: unknown };

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const noop = () => {};
const ok = (): Outcome => ({ failed: false });
const failed = (error: unknown): Outcome => ({ failed: true, error });

/**
 * Yields `read()` after each completion of an armed wait: one round waits for the armed wait,
 * arms the next one, then reads. `next()` calls run one after the other.
 *
 * Between two `next()` calls the armed wait is only started: Windows holds it (Linux, macOS: a
 * routing socket does), nothing runs in JavaScript (no wait, no timer). An iterator dropped
 * there (no `return()`, no abort) takes it along: once the iterator is collected, the armed
 * operation is cancelled (see `ioctl_async.ts`, `_change_watch.ts`), since nothing can observe
 * it any more.
 */
export class ChangeStream<T> implements AsyncIterableIterator<T> {
  readonly #arm: (stop: AbortSignal) => Armed;
  readonly #read: () => T;
  /** Aborted to end the stream: by the caller's signal, `return()`, or a failure. */
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal | undefined;
  /** Holds the stop controller only, never the stream: a signal keeps no stream alive. */
  readonly #onAbort: () => void;
  #initial: boolean;
  /** The wait armed for the next round, when one is (started, nobody waiting for it yet). */
  #armed: Armed | undefined;
  /** The wait a round is waiting for, when one is. */
  #waiting: Promise<Outcome> | undefined;
  #done = false;
  /** The rounds, one after the other (never rejects). */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param arm Starts one wait, cancelled when `stop` aborts.
   * @param read Reads the new value.
   * @param signal The caller's signal: aborting it ends the stream.
   * @param initial Yield `read()` first, after arming the first wait.
   */
  constructor(
    arm: (stop: AbortSignal) => Armed,
    read: () => T,
    signal: AbortSignal | undefined,
    initial: boolean,
  ) {
    this.#arm = arm;
    this.#read = read;
    this.#signal = signal;
    this.#initial = initial;
    const stop = this.#stop;
    this.#onAbort = () => stop.abort(signal?.reason);
    if (signal?.aborted) stop.abort(signal.reason);
    else signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** @returns This iterator. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * The next value: after the next change (or the current value first, with `initial`).
   *
   * @returns The value, or `done` once the stream ended.
   */
  next(): Promise<IteratorResult<T, undefined>> {
    const round = this.#queue.then(() => this.#round());
    this.#queue = round.then(noop, noop);
    return round;
  }

  /**
   * Ends the stream (what `break` calls): cancels the armed wait and resolves once Windows has
   * let go of it.
   *
   * @returns `done`.
   */
  async return(): Promise<IteratorResult<T, undefined>> {
    await this.#finish();
    await this.#queue;
    return DONE;
  }

  async #round(): Promise<IteratorResult<T, undefined>> {
    if (this.#done || this.#stop.signal.aborted) return await this.#end();
    if (this.#initial) {
      this.#initial = false;
      this.#armed = this.#arm(this.#stop.signal);
      return await this.#value();
    }
    const armed = this.#armed ?? this.#arm(this.#stop.signal);
    this.#armed = undefined;
    const waiting = this.#waiting = armed.wait(this.#stop.signal).then(ok, failed);
    const outcome = await waiting;
    this.#waiting = undefined;
    if (this.#done || this.#stop.signal.aborted) return await this.#end();
    if (outcome.failed) {
      await this.#finish();
      throw outcome.error;
    }
    // The next change is watched before the value is read: none falls in between.
    this.#armed = this.#arm(this.#stop.signal);
    return await this.#value();
  }

  async #value(): Promise<IteratorResult<T, undefined>> {
    try {
      return { done: false, value: this.#read() };
    } catch (e) {
      await this.#finish();
      throw e;
    }
  }

  async #end(): Promise<IteratorReturnResult<undefined>> {
    await this.#finish();
    return DONE;
  }

  /** Marks the stream done, cancels the armed wait, and waits until it settled. */
  async #finish(): Promise<void> {
    this.#done = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    if (!this.#stop.signal.aborted) this.#stop.abort();
    const armed = this.#armed;
    this.#armed = undefined;
    // Cancelled by the abort: waited for until Windows let go of it.
    if (armed !== undefined) await armed.wait(this.#stop.signal).then(noop, noop);
    await this.#waiting;
  }
}
