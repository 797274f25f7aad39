/**
 * Internal: the handles wsioctl holds, and which Sockets hold them. Shared by `socket.ts` (which
 * claims, borrows, closes and releases handles) and `ioctl_async.ts` (whose overlapped
 * operations end when their Socket lets go of the handle).
 *
 * What wsioctl knows of one open handle is its {@link Life}: one per handle number at a time,
 * shared by the Socket that owns the handle (at most one) and every Socket that borrows it, in
 * whatever order they came (`Socket.borrow`, `Socket.fromHandle`). A life ends when wsioctl closes
 * the handle (the owner's `close()`, or the finalizer of an owner dropped unclosed) or gives it
 * up (the owner's `release()`): every Socket on it then acts closed, borrowers included, since
 * the number may belong to another socket next. Taking a handle over (`Socket.fromHandle` on a
 * handle a Socket owns) keeps its life: the previous owner acts closed, the borrowers stay on the
 * handle under its new owner. A life no Socket owns (a runtime's socket, borrowed) lasts while a
 * borrower holds it; a borrower never closes the handle, its `close()` only lets go of it. A
 * number that `socket()` or `accept()` hands out again proves its previous socket gone: the
 * Sockets that held it before act closed.
 *
 * @module
 */

import type { NativeApi } from "./ffi/native.ts";

/** An overlapped operation under way on a handle (ioctlAsync's), told when its Socket lets go. */
export interface PendingOnHandle {
  /** The Owner of the Socket it was started through; undefined for a raw handle. */
  by: Owner | undefined;
  /** wsioctl closed the handle (which cancels the operation): wake whoever waits for it. */
  handleClosed(): void;
  /**
   * The Socket it was started through let go of the handle, which stays open: cancel this
   * operation alone (its own OVERLAPPED) and wake whoever waits for it.
   */
  letGo(): void;
}

/** A Socket's hold on one native handle. */
export interface Owner {
  /** The handle; undefined once the Socket let go of it or its life ended. */
  readonly handle: bigint | undefined;
  /** The native layer the handle belongs to (the one that opened or adopted it). */
  readonly native: NativeApi;
  /** True for a borrower ({@link borrow}): never closes the handle, only lets go of it. */
  readonly borrowed: boolean;
}

/** What wsioctl knows of one open handle, shared by its owner and its borrowers. */
interface Life {
  readonly handle: bigint;
  /** False once wsioctl closed the handle or gave it up. */
  open: boolean;
  /** The owning Socket's hold, when a Socket owns the handle. */
  owner: Hold | undefined;
  /** Every hold on the handle (the owner's and the borrowers'). */
  readonly holds: Set<Hold>;
  /** Overlapped operations under way on the handle. */
  readonly pending: Set<PendingOnHandle>;
}

class Hold implements Owner {
  held = true;
  constructor(readonly life: Life, readonly native: NativeApi, readonly borrowed: boolean) {}

  get handle(): bigint | undefined {
    return this.held && this.life.open ? this.life.handle : undefined;
  }
}

/** The live Life of each handle some Socket holds. */
const lives = new Map<bigint, Life>();
/** The hold of each Socket (a Socket keeps the same one for its whole life). */
const bySocket = new WeakMap<object, Hold>();

const registry = new FinalizationRegistry<Hold>((hold) => {
  // A Socket dropped while it still held its handle. A borrower just lets go (nothing of it
  // can still run: its operations kept it reachable). An owner's handle is closed: the backstop
  // only, and only while this hold still owns the handle. Never throws out of a finalizer.
  const h = end(hold, false);
  if (h === undefined || hold.borrowed) return;
  try {
    hold.native.close(h);
  } catch {
    // ignore
  }
});

function lifeOf(handle: bigint): Life {
  let life = lives.get(handle);
  if (life === undefined) {
    life = { handle, open: true, owner: undefined, holds: new Set(), pending: new Set() };
    lives.set(handle, life);
  }
  return life;
}

function drop(life: Life): void {
  if (lives.get(life.handle) === life) lives.delete(life.handle);
}

function hold(holder: object, life: Life, native: NativeApi, borrowed: boolean): Hold {
  const h = new Hold(life, native, borrowed);
  life.holds.add(h);
  bySocket.set(holder, h);
  registry.register(holder, h, h);
  return h;
}

/**
 * Makes `holder` the owner of `handle`. A previous owner lets go of it (it acts closed; the
 * operations started through it move to the new owner); the handle's borrowers stay on it. A
 * `fresh` handle (just returned by `socket()` or `accept()`) starts a life of its own: whatever
 * Sockets held that number before held a socket that is gone, and act closed from now on. The
 * handle is closed by the finalizer if `holder` is collected while it still owns it.
 *
 * @param holder The object that owns the handle from now on (a Socket).
 * @param handle The handle.
 * @param native The native layer the handle belongs to.
 * @param fresh True for a handle the system just created.
 * @returns The new Owner.
 */
export function claim(holder: object, handle: bigint, native: NativeApi, fresh: boolean): Owner {
  const stale = fresh ? lives.get(handle) : undefined;
  if (stale !== undefined) finish(stale, false); // closed behind wsioctl's back
  const life = lifeOf(handle);
  const previous = life.owner;
  const owner = hold(holder, life, native, false);
  life.owner = owner;
  if (previous !== undefined) {
    previous.held = false;
    life.holds.delete(previous);
    registry.unregister(previous);
    for (const op of life.pending) if (op.by === previous) op.by = owner;
  }
  return owner;
}

/**
 * Makes `holder` a borrower of `handle`: it may use the handle but never closes it, and acts
 * closed once its handle's owner (if a Socket owns it, now or later) closes it or gives it up.
 *
 * @param holder The borrowing object (a Socket from `Socket.borrow`).
 * @param handle The handle.
 * @param native The native layer the handle belongs to.
 * @returns The borrowing Owner ({@link Owner.borrowed} true).
 */
export function borrow(holder: object, handle: bigint, native: NativeApi): Owner {
  const life = lifeOf(handle);
  return hold(holder, life, life.owner?.native ?? native, true);
}

/**
 * Ends a Socket's hold on its handle; the Socket acts closed from then on. A borrower lets go:
 * the operations started through it are cancelled, the handle stays open. An owner ends the
 * handle's life, and with it every hold on it: when `giveUp` is false the caller closes the
 * handle (every operation on it is woken: the close cancels them); when true the handle stays
 * open, the caller's (the operations started through a Socket on it are cancelled, those started
 * on the raw handle go on). Nothing will close the handle later.
 *
 * @param owner The Socket's Owner.
 * @param giveUp For an owner: true to give the handle up rather than close it.
 * @returns The handle it held, or undefined when it held none any more (then nothing happens).
 */
export function end(owner: Owner, giveUp: boolean): bigint | undefined {
  const h = owner.handle;
  if (h === undefined) return undefined;
  const held = owner as Hold;
  const life = held.life;
  held.held = false;
  life.holds.delete(held);
  registry.unregister(held);
  if (held.borrowed) {
    for (const op of [...life.pending]) if (op.by === held) op.letGo();
    if (life.owner === undefined && life.holds.size === 0) drop(life);
    return h;
  }
  finish(life, giveUp);
  return h;
}

/** Ends a life: every hold on it acts closed, the finalizer never closes its handle. */
function finish(life: Life, giveUp: boolean): void {
  life.open = false;
  if (life.owner !== undefined) registry.unregister(life.owner);
  life.owner = undefined;
  drop(life);
  for (const op of [...life.pending]) {
    if (!giveUp) op.handleClosed();
    else if (op.by !== undefined) op.letGo();
  }
}

/**
 * Registers an overlapped operation under way on `handle`, so that it is told when its Socket
 * (`holder`), or the owner of the handle, lets go of it.
 *
 * @param op The operation; its `by` is set here.
 * @param handle The handle it runs on.
 * @param holder The Socket it was started through, or undefined for a raw handle.
 * @returns A function that unregisters it (once it settled).
 */
export function track(op: PendingOnHandle, handle: bigint, holder: object | undefined): () => void {
  const held = holder === undefined ? undefined : bySocket.get(holder);
  const life = held?.handle === handle ? held.life : lives.get(handle);
  if (life === undefined || !life.open) return () => {};
  op.by = held?.life === life ? held : undefined;
  life.pending.add(op);
  return () => life.pending.delete(op);
}

/**
 * {@link track}, and, when `cancelOn` is given, `cancel` run at its abort (also while nobody
 * waits for the operation).
 *
 * @param op The operation; its `by` is set here.
 * @param handle The handle it runs on.
 * @param holder The Socket it was started through, or undefined for a raw handle.
 * @param cancelOn Cancels the operation when it aborts, or undefined.
 * @param cancel What cancelling it does.
 * @returns A function that unregisters both (once it settled).
 */
export function trackCancellable(
  op: PendingOnHandle,
  handle: bigint,
  holder: object | undefined,
  cancelOn: AbortSignal | undefined,
  cancel: () => void,
): () => void {
  const untrack = track(op, handle, holder);
  if (cancelOn === undefined) return untrack;
  cancelOn.addEventListener("abort", cancel, { once: true });
  return () => (untrack(), cancelOn.removeEventListener("abort", cancel));
}
