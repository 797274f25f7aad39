// Bad-input cases of the interfaces.ts, routes.ts, notify.ts typed calls, run by
// tests/sio_input_test.ts: CASES hand a good socket bad arguments; GOOD are well-formed calls,
// run there on closed and invalid sockets.

import * as sio from "../../sio/mod.ts";
import { bad, type Case, type Good } from "./bad_input.ts";

// ---- routes.ts, notify.ts: destinations, ports and options
type S = sio.SocketRef;
const route = (s: S, a: unknown, p?: unknown) => sio.routingInterface(s, bad(a), bad(p));
const change = (s: S, a: unknown, o?: unknown) => sio.routingInterfaceChange(s, bad(a), bad(o));
const changes = (s: S, a: unknown, o?: unknown) => sio.routingInterfaceChanges(s, bad(a), bad(o));
const listChange = (s: S, o: unknown) => sio.addressListChange(s, bad(o));
const listChanges = (s: S, o: unknown) => sio.addressListChanges(s, bad(o));
const scope = (s: S, n: unknown) => sio.setMulticastScope(s, bad(n));

/** Bad arguments on a good socket (9n). */
export const CASES: Case[] = [
  // ---- routes.ts
  ["routingInterface(1)", (s) => route(s, 1), TypeError, /^address /],
  ["routingInterface('1.2.3')", (s) => route(s, "1.2.3"), TypeError, /address/],
  ["routingInterface('fe80::1%x')", (s) => route(s, "fe80::1%x"), TypeError, /address/],
  ["routingInterface port -1", (s) => route(s, "::1", -1), RangeError, /^port /],
  ["routingInterface port 65536", (s) => route(s, "::1", 65536), RangeError, /^port /],
  ["routingInterface port 1.5", (s) => route(s, "::1", 1.5), TypeError, /^port /],
  ["routingInterface port null", (s) => route(s, "::1", null), TypeError, /^port /],
  ["findRoute()", (s) => sio.findRoute(s, bad(undefined)), TypeError, /^address /],
  ["findRoute port 70000", (s) => sio.findRoute(s, "10.0.0.1", 70000), RangeError, /^port /],
  ["setMulticastScope(-1)", (s) => scope(s, -1), RangeError, /^scope /],
  ["setMulticastScope(256)", (s) => scope(s, 256), RangeError, /^scope .*0\.\.255/],
  ["setMulticastScope('1')", (s) => scope(s, "1"), TypeError, /^scope /],
  ["setMultipointLoopback(1)", (s) => sio.setMultipointLoopback(s, bad(1)), TypeError, /enabled/],
  // ---- notify.ts (the Promises reject; the iterables throw at call time)
  ["addressListChange(null)", (s) => listChange(s, null), TypeError, /^opts /],
  ["addressListChange signal: {}", (s) => listChange(s, { signal: {} }), TypeError, /opts\.sig/],
  ["routingInterfaceChange(5)", (s) => change(s, 5), TypeError, /^address /],
  ["…Change port -1", (s) => change(s, "::1", { port: -1 }), RangeError, /^opts\.port /],
  ["…Change port null", (s) => change(s, "::1", { port: null }), TypeError, /^opts\.port /],
  ["…Change('::1', 'x')", (s) => change(s, "::1", "x"), TypeError, /^opts /],
  ["addressListChanges(3)", (s) => listChanges(s, 3), TypeError, /^opts /],
  ["addressListChanges initial: 1", (s) => listChanges(s, { initial: 1 }), TypeError, /initial/],
  ["addressListChanges signal: 1", (s) => listChanges(s, { signal: 1 }), TypeError, /signal/],
  ["routingInterfaceChanges('nope')", (s) => changes(s, "nope"), TypeError, /^address /],
  ["…Changes port 1e6", (s) => changes(s, "::1", { port: 1e6 }), RangeError, /^opts\.port /],
  ["…Changes initial: 'y'", (s) => changes(s, "::1", { initial: "y" }), TypeError, /initial/],
];

/** Well-formed calls, to be run on bad sockets. */
export const GOOD: Good[] = [
  // ---- interfaces.ts
  ["interfaceList", (s) => sio.interfaceList(s)],
  ["interfaceListEx", (s) => sio.interfaceListEx(s)],
  ["addressList", (s) => sio.addressList(s)],
  // ---- routes.ts (IPv4 destinations: the closed Socket below is an IPv4 one)
  ["routingInterface", (s) => sio.routingInterface(s, "192.0.2.1", 80)],
  ["broadcastAddress", (s) => sio.broadcastAddress(s)],
  ["findRoute", (s) => sio.findRoute(s, "192.0.2.1")],
  ["flush", (s) => sio.flush(s)],
  ["enableCircularQueueing", (s) => sio.enableCircularQueueing(s)],
  ["setMulticastScope", (s) => sio.setMulticastScope(s, 1)],
  ["setMultipointLoopback", (s) => sio.setMultipointLoopback(s, true)],
  // ---- notify.ts
  ["addressListChange", (s) => sio.addressListChange(s, { signal: new AbortController().signal })],
  ["routingInterfaceChange", (s) => sio.routingInterfaceChange(s, "192.0.2.1", { port: 1 })],
  ["addressListChanges", (s) => sio.addressListChanges(s, { initial: true })],
  ["routingInterfaceChanges", (s) => sio.routingInterfaceChanges(s, "192.0.2.1", { port: 2 })],
];
