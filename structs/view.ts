/**
 * The base class of every struct view (one `DataView` over a caller's buffer, never a copy) and
 * the lazy array of views over a C array of structs.
 *
 * Pure code: no FFI, no runtime-specific API.
 *
 * @module
 */

import { accessorNames } from "./_accessors.ts";
import { bufferExtent, type BufferSource, dataViewAt } from "./_buffer.ts";
import type { StructLayout } from "./layout.ts";

export type { BufferSource };

/** The constructor side every view class has (used by the generic static helpers). */
export interface StructClass<T extends StructView> {
  /** Creates a view over an existing `DataView`. */
  new (view: DataView): T;
  /** `sizeof` the struct. */
  readonly SIZE: number;
  /** The struct's layout. */
  readonly LAYOUT: StructLayout;
}

/**
 * Base class of every struct view: one `DataView` over a caller-owned buffer, never a copy.
 *
 * A view class has `static readonly SIZE` and `static readonly LAYOUT`. The views of this
 * package get `LAYOUT` and their field accessors from one members literal each (the
 * `*_MEMBERS` constants; their TypeScript types follow from it, see `ViewFields`);
 * a view may add hand-written accessors for what a plain field cannot say (text addresses,
 * network byte order). The static helpers (`alloc`, `at`, `arrayAt`) are inherited.
 *
 * @example
 * ```ts
 * import { TcpKeepalive } from "@x/wsioctl/structs";
 * const ka = TcpKeepalive.alloc();
 * ka.onOff = 1;
 * ka.view.getUint32(0, true); // 1: the struct's bytes, for an IOCTL's input or output
 * ```
 */
export abstract class StructView {
  /**
   * The struct's bytes: a `DataView` over the caller's (or `alloc`'s) memory, exactly `SIZE`
   * bytes long when made by `alloc` or `at`. This is what a native call reads or fills.
   */
  readonly view: DataView;

  /**
   * Wraps a `DataView` that starts at the struct.
   *
   * @param view A `DataView` at least `SIZE` bytes long.
   * @throws {TypeError} If `view` is not a `DataView`.
   * @throws {RangeError} If `view` is shorter than the struct.
   */
  constructor(view: DataView) {
    if (!(view instanceof DataView)) throw new TypeError("view must be a DataView");
    const size = (this.constructor as unknown as StructClass<StructView>).SIZE;
    if (view.byteLength < size) {
      throw new RangeError(
        `view must be at least ${size} bytes for ${this.constructor.name}, got ${view.byteLength}`,
      );
    }
    this.view = view;
  }

  /**
   * Allocates a zeroed struct in a fresh `ArrayBuffer` of exactly `SIZE` bytes.
   *
   * @returns The new view.
   */
  static alloc<T extends StructView>(this: StructClass<T>): T {
    return new this(new DataView(new ArrayBuffer(this.SIZE)));
  }

  /**
   * Views the struct that lies `byteOffset` bytes into a caller's buffer (no copy).
   *
   * @param buffer An `ArrayBuffer` or any `ArrayBufferView` (its own offset is respected).
   * @param byteOffset Offset of the struct inside `buffer`; default 0.
   * @returns The view.
   * @throws {TypeError} If `buffer` is not a buffer.
   * @throws {RangeError} If the struct does not fit.
   */
  static at<T extends StructView>(this: StructClass<T>, buffer: BufferSource, byteOffset = 0): T {
    return new this(dataViewAt(buffer, byteOffset, this.SIZE, this.LAYOUT.name));
  }

  /**
   * Views a C array of these structs inside a caller's buffer (e.g. the `INTERFACE_INFO[]`
   * that `SIO_GET_INTERFACE_LIST` returns). Element views are made on access.
   *
   * @param buffer The buffer holding the array.
   * @param byteOffset Offset of the first element; default 0.
   * @param count Number of elements; default as many whole elements as fit.
   * @returns A lazy array view.
   * @throws {TypeError} If `buffer` is not a buffer or `count` is not an integer.
   * @throws {RangeError} If `count` elements do not fit.
   */
  static arrayAt<T extends StructView>(
    this: StructClass<T>,
    buffer: BufferSource,
    byteOffset = 0,
    count?: number,
  ): StructArray<T> {
    return new StructArray(this, buffer, byteOffset, count);
  }

  /**
   * The raw bytes of the struct as a `Uint8Array` over the same memory (no copy).
   *
   * @returns A byte view of exactly `SIZE` bytes.
   */
  bytes(): Uint8Array {
    const size = (this.constructor as unknown as StructClass<StructView>).SIZE;
    return new Uint8Array(this.view.buffer, this.view.byteOffset, size);
  }

  /**
   * A plain-object snapshot of every field: the explicit way to copy out. 64-bit fields stay
   * `bigint`; nested structs become nested snapshots.
   *
   * @returns The fields by their camelCase names.
   */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const names = accessorNames(this.constructor);
    const self = this as unknown as Record<string, unknown>;
    for (const name of names) {
      const v = self[name];
      out[name] = v instanceof StructView || v instanceof StructArray ? v.toObject() : v;
    }
    return out;
  }

  /**
   * A JSON-safe snapshot: {@linkcode StructView.toObject} with every `bigint` turned into its
   * decimal string (so `JSON.stringify(view)` works).
   *
   * @returns The JSON-safe fields.
   */
  toJSON(): Record<string, unknown> {
    return jsonSafe(this.toObject()) as Record<string, unknown>;
  }
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonSafe(x);
    return out;
  }
  return v;
}

/** A lazy view over a C array of structs in one buffer. */
export class StructArray<T extends StructView> implements Iterable<T> {
  readonly #type: StructClass<T>;
  readonly #view: DataView;
  /** Number of elements. */
  readonly length: number;

  /**
   * Views `count` structs of `type` laid end to end in `buffer`.
   *
   * @param type The element view class.
   * @param buffer The buffer holding the array.
   * @param byteOffset Offset of the first element; default 0.
   * @param count Number of elements; default as many whole elements as fit.
   * @throws {TypeError} If `buffer` is not a buffer or `count` is not an integer.
   * @throws {RangeError} If `count` elements do not fit.
   */
  constructor(type: StructClass<T>, buffer: BufferSource, byteOffset = 0, count?: number) {
    dataViewAt(buffer, byteOffset, 0, type.LAYOUT.name); // validates buffer and byteOffset
    let n: number;
    if (count === undefined) {
      n = Math.floor((bufferExtent(buffer)[2] - byteOffset) / type.SIZE);
    } else {
      if (typeof count !== "number" || !Number.isInteger(count)) {
        throw new TypeError(`count must be an integer, got ${String(count)}`);
      }
      if (count < 0) throw new RangeError(`count must not be negative, got ${count}`);
      n = count;
    }
    this.#type = type;
    this.#view = dataViewAt(buffer, byteOffset, n * type.SIZE, `${type.LAYOUT.name}[${n}]`);
    this.length = n;
  }

  /**
   * The element at `index` (a new view over the same memory).
   *
   * @param index 0-based; negative counts from the end.
   * @returns The element view.
   * @throws {RangeError} If `index` is out of range.
   */
  at(index: number): T {
    const i = index < 0 ? this.length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`index ${String(index)} out of range 0..${this.length - 1}`);
    }
    const size = this.#type.SIZE;
    return new this.#type(
      new DataView(this.#view.buffer, this.#view.byteOffset + i * size, size),
    );
  }

  /**
   * Iterates the elements in order.
   *
   * @returns An iterator of element views.
   */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /**
   * Snapshots every element ({@linkcode StructView.toObject}).
   *
   * @returns An array of plain objects.
   */
  toObject(): Record<string, unknown>[] {
    return Array.from(this, (e) => e.toObject());
  }

  /**
   * JSON-safe snapshots of every element.
   *
   * @returns An array of plain objects.
   */
  toJSON(): Record<string, unknown>[] {
    return Array.from(this, (e) => e.toJSON());
  }
}
