/**
 * Internal: who owns each native handle wsioctl holds. Shared by `socket.ts` (which claims and
 * releases handles) and `ioctl.ts` (whose overlapped operations end when the owner closes).
 *
 * Exactly one {@link Owner} is live per handle: the Socket that holds it, until `close()`, until
 * the Socket is collected (the finalizer below), or until another Socket takes the handle over
 * (`Socket.fromHandle`). A released Owner never touches its handle again.
 *
 * A borrowed Socket (`Socket.borrow`) gets a borrowing Owner instead ({@link borrow}): it is
 * never the owner of its handle, is not registered with the finalizer, and nothing closes the
 * handle through it. Borrowing a handle that a Socket owns ties the borrower to that owner (the
 * lender): the borrower counts as closed once the lender closes the handle or gives it up, since
 * the number may then belong to another socket; it shares the lender's overlapped operations.
 * Borrowing a handle no Socket owns (a runtime's socket) leaves it to its real owner: the
 * borrower counts as closed only once its own `close()` detached it.
 *
 * @module
 */

import type { NativeApi } from "./ffi/native.ts";

/** An overlapped operation under way on a handle: told when the owner closes the handle. */
export interface PendingOnHandle {
  /** The owner closed the handle: wake whoever waits for the operation. */
  ownerClosed(): void;
}

/** Ownership of one native handle. */
export interface Owner {
  /** The handle; undefined once released. */
  handle: bigint | undefined;
  /** The native layer the handle belongs to (the one that opened or adopted it). */
  readonly native: NativeApi;
  /** Overlapped operations under way on the handle, settled when the owner closes it. */
  readonly pending: Set<PendingOnHandle>;
  /** True for a borrower ({@link borrow}): never closes the handle, only lets go of it. */
  readonly borrowed: boolean;
}

/** The live Owner of each handle wsioctl owns. */
const owners = new Map<bigint, Owner>();
/** The Owner of each Socket (a Socket keeps the same Owner for its whole life). */
const bySocket = new WeakMap<object, Owner>();

const registry = new FinalizationRegistry<Owner>((owner) => {
  // Backstop only: a Socket dropped without close(). It closes the handle only while this Owner
  // still holds it: a handle closed explicitly or taken over by another Socket is never touched.
  // Never throws out of a finalizer.
  const h = owner.handle;
  if (h === undefined) return;
  release(owner);
  try {
    owner.native.close(h);
  } catch {
    // ignore
  }
});

/**
 * Makes `holder` the owner of `handle`; the previous owner, if any, lets go of it (its pending
 * operations move to the new owner). The handle is closed by the finalizer if `holder` is
 * collected while it still owns it.
 *
 * @param holder The object that owns the handle from now on (a Socket).
 * @param handle The handle.
 * @param native The native layer the handle belongs to.
 * @returns The new Owner.
 */
export function claim(holder: object, handle: bigint, native: NativeApi): Owner {
  const owner: Owner = { handle, native, pending: new Set(), borrowed: false };
  const previous = owners.get(handle);
  if (previous !== undefined) {
    for (const op of previous.pending) owner.pending.add(op);
    previous.pending.clear();
    release(previous);
  }
  owners.set(handle, owner);
  bySocket.set(holder, owner);
  registry.register(holder, owner, owner);
  return owner;
}

/** A borrowing Owner: the handle until detached, or until its lender (if any) let go. */
class Borrower implements Owner {
  readonly borrowed = true;
  #detached = false;
  readonly #handle: bigint;
  readonly #lender: Owner | undefined;

  constructor(handle: bigint, readonly native: NativeApi, lender: Owner | undefined) {
    this.#handle = handle;
    this.#lender = lender;
    this.pending = lender?.pending ?? new Set();
  }

  readonly pending: Set<PendingOnHandle>;

  get handle(): bigint | undefined {
    if (this.#detached || (this.#lender !== undefined && this.#lender.handle === undefined)) {
      return undefined;
    }
    return this.#handle;
  }

  set handle(value: bigint | undefined) {
    // release() is the only writer: it detaches.
    if (value === undefined) this.#detached = true;
  }
}

/**
 * Makes `holder` a borrower of `handle`: it may use the handle but never owns it. Nothing is
 * registered for the finalizer, and the handle's owner (if a Socket owns it) stays its owner and
 * becomes the borrower's lender.
 *
 * @param holder The borrowing object (a Socket from `Socket.borrow`).
 * @param handle The handle.
 * @param native The native layer the handle belongs to.
 * @returns The borrowing Owner ({@link Owner.borrowed} true).
 */
export function borrow(holder: object, handle: bigint, native: NativeApi): Owner {
  const lender = owners.get(handle);
  const owner = new Borrower(handle, lender?.native ?? native, lender);
  bySocket.set(holder, owner);
  return owner;
}

/**
 * Marks an Owner released: it no longer holds its handle, and no finalizer will close it.
 *
 * @param owner The Owner; releasing twice does nothing.
 */
export function release(owner: Owner): void {
  const h = owner.handle;
  if (h === undefined) return;
  owner.handle = undefined;
  if (owners.get(h) === owner) owners.delete(h);
  registry.unregister(owner);
}

/**
 * The live Owner of a handle, if wsioctl owns it.
 *
 * @param handle The handle.
 * @returns Its Owner, or undefined.
 */
export function ownerOfHandle(handle: bigint): Owner | undefined {
  return owners.get(handle);
}

/**
 * The Owner a Socket was created with (released once the Socket closed or lost its handle).
 *
 * @param holder The Socket.
 * @returns Its Owner, or undefined for an object that never claimed a handle.
 */
export function ownerOf(holder: object): Owner | undefined {
  return bySocket.get(holder);
}
