/**
 * The declarative table of Winsock control codes: one entry per SDK name, each written in the
 * macro form its header uses (`_WSAIOW(IOC_VENDOR,4)`, `_IOR('f',127,u_long)`, …), never as a hex
 * literal. `scripts/gen_codes.ts` evaluates the macros with {@link ./bits.ts} and writes
 * `codes/generated.ts`.
 *
 * The entries live in one file per SDK header under `spec/`, written with the macros of
 * `_macros.ts`; their types and buffer sizes in `spec_types.ts`. This module puts them together
 * in the table's order.
 *
 * Sources of facts: the Windows SDK headers (10.0.22621 and later) winsock2.h, ws2def.h,
 * ws2ipdef.h, mswsock.h, mswsockdef.h and mstcpip.h, plus afunix.h, qossp.h, ws2atm.h and ws2bth.h for the
 * few codes the seed or peers use that live elsewhere; the Winsock IOCTL reference for what each
 * buffer really carries.
 *
 * @module
 */

import { MSWSOCK } from "./spec/mswsock.ts";
import { MSTCPIP } from "./spec/mstcpip.ts";
import { OTHERS } from "./spec/others.ts";
import { WINSOCK2 } from "./spec/winsock2.ts";
import { WS2DEF } from "./spec/ws2def.ts";
import { WS2IPDEF } from "./spec/ws2ipdef.ts";
import type { IoctlSpec } from "./spec_types.ts";

export type { MacroForm } from "./_macros.ts";
export { BUFFER_SIZES, type Header, type IoctlSpec } from "./spec_types.ts";

/** Every entry, header by header: winsock2.h, ws2def.h, mswsock(def).h, ws2ipdef.h, mstcpip.h, the rest. */
export const IOCTL_SPECS: readonly IoctlSpec[] = [
  ...WINSOCK2,
  ...WS2DEF,
  ...MSWSOCK,
  ...WS2IPDEF,
  ...MSTCPIP,
  ...OTHERS,
];

export { decodeIoctl, encodeIoctl } from "./bits.ts";
