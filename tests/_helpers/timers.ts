/**
 * Counting the timers code under test leaves behind: while installed, `setTimeout` and
 * `clearTimeout` (the globals, which the library looks up at each call) are wrapped, and
 * {@link TimerCount.live} says how many of the timers made since have neither fired nor been
 * cleared. For the rule "nothing stays after a wait settles: no timer" of the change
 * notifications.
 */

/** The count, and its uninstalling. */
export interface TimerCount {
  /** The timers made since installing that have neither fired nor been cleared. */
  live(): number;
  /** Puts the runtime's own functions back. */
  [Symbol.dispose](): void;
}

type Timers = {
  setTimeout: (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;
  clearTimeout: (id: unknown) => void;
};

/**
 * Installs the count (`using timers = countTimers();`).
 *
 * @returns The count.
 */
export function countTimers(): TimerCount {
  const g = globalThis as unknown as Timers;
  const { setTimeout: set, clearTimeout: clear } = g;
  const live = new Set<unknown>();
  g.setTimeout = (fn, ms, ...args) => {
    const id: unknown = set(
      (...a: unknown[]) => {
        live.delete(id);
        fn(...a);
      },
      ms,
      ...args,
    );
    live.add(id);
    return id;
  };
  g.clearTimeout = (id) => {
    live.delete(id);
    clear(id);
  };
  return {
    live: () => live.size,
    [Symbol.dispose]() {
      g.setTimeout = set;
      g.clearTimeout = clear;
    },
  };
}
