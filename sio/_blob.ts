/**
 * Internal: variable-size outputs (a QOS with its provider-specific objects, the WFP redirect
 * blobs, a transport setting of unknown shape). The library allocates the output buffer, calls
 * `WSAIoctl`, and when Windows answers that the buffer is too small, calls again with a larger
 * one: the size Windows asked for when the caller can read it (`sizeAsked`), else four times
 * the last size. Bounded in attempts and in size; what Windows says it wrote is checked against
 * the buffer it was given before anything is read.
 *
 * Where Windows reports the size it needs in `lpcbBytesReturned` of the failed call
 * (ERROR_INSUFFICIENT_BUFFER from the WFP codes), the next buffer has that size.
 *
 * @module
 */

import { ioctlLabel } from "../codes/mod.ts";
import { _ioctlOwnedStatus, _lastBytesReturned, type TypedCall, typedFailure } from "../ioctl.ts";
import { WSAEFAULT, WSAENOBUFS } from "../_wsa.ts";

/** The answers that mean "the output buffer is too small". */
const TOO_SMALL: ReadonlySet<number> = new Set([
  122, // ERROR_INSUFFICIENT_BUFFER (the WFP codes, SIO_QUERY_TRANSPORT_SETTING)
  WSAEFAULT, // an output length Winsock finds too small
  WSAENOBUFS, // SIO_GET_QOS: the size needed is the output's first ULONG
]);

/** The largest output the library allocates for one call: 1 MiB. */
export const BLOB_LIMIT = 1 << 20;
/** How many calls one query makes at most before giving up. */
export const BLOB_ATTEMPTS = 8;

/** What a grown query answered: the buffer passed last, its length, and the bytes returned. */
export interface Grown {
  /** The output buffer of the successful call (its own `ArrayBuffer`). */
  readonly out: Uint8Array;
  /** The bytes returned: at most `out.length`. */
  readonly returned: number;
}

/**
 * Runs one query whose output size the caller cannot know in advance.
 *
 * @param h The handle.
 * @param code The control code.
 * @param input The library's input bytes, or null.
 * @param inLength Bytes of `input` to pass.
 * @param call The typed call, for errors.
 * @param first The size of the first output buffer (1..{@link BLOB_LIMIT}).
 * @param sizeAsked Reads the size Windows asked for from a refused call's output (0 for none).
 * @returns The successful call's buffer and byte count.
 * @throws {WinsockError} when Windows refuses for another reason, or still finds the buffer too
 * small after {@link BLOB_ATTEMPTS} calls or at {@link BLOB_LIMIT} bytes.
 * @throws {Error} when Windows says it wrote more bytes than the buffer holds, or asks for more
 * than {@link BLOB_LIMIT}.
 */
export function queryGrowing(
  h: bigint,
  code: number,
  input: Uint8Array | null,
  inLength: number,
  call: TypedCall,
  first: number,
  sizeAsked?: (out: Uint8Array) => number,
): Grown {
  let size = first;
  for (let attempt = 1;; attempt++) {
    const out = new Uint8Array(new ArrayBuffer(size));
    const r = _ioctlOwnedStatus(h, code, input, inLength, out, size, call);
    if (r >= 0) {
      if (r > size) {
        throw new Error(
          `${call.name}: ${ioctlLabel(code)} reported ${r} bytes written into a ` +
            `${size}-byte buffer; the answer is not read`,
        );
      }
      return { out, returned: r };
    }
    const error = -r;
    if (!TOO_SMALL.has(error) || attempt === BLOB_ATTEMPTS || size === BLOB_LIMIT) {
      throw typedFailure(error, code, call);
    }
    // What the failure reported needing (lpcbBytesReturned), or what the output says it needs.
    const reported = _lastBytesReturned();
    const fromOutput = sizeAsked === undefined ? 0 : sizeAsked(out);
    const asked = reported > fromOutput ? reported : fromOutput;
    if (asked > BLOB_LIMIT) {
      throw new Error(
        `${call.name}: ${ioctlLabel(code)} asked for a ${asked}-byte buffer, more than the ` +
          `${BLOB_LIMIT} bytes the library allocates`,
      );
    }
    size = asked > size ? asked : Math.min(size * 4, BLOB_LIMIT);
  }
}
