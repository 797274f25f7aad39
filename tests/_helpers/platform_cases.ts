/**
 * One run of every typed call, for tests/platforms_test.ts: the socket it needs and the call
 * with arguments Windows would take. `outcome` runs one and says whether the platform refused it
 * (UnsupportedError) or ran it (a value, or any other error: the translation ran and answered).
 * The notification calls wait for a change: their wait is aborted once it had a moment to arm,
 * so a platform that runs them settles with the abort's reason.
 */

import * as sio from "../../sio/mod.ts";
import type { SocketRef } from "../../sio/mod.ts";
import { UnsupportedError } from "../../errors.ts";

/**
 * The socket a case needs: an unconnected TCP or UDP socket (IPv4), the accepted end of a
 * loopback TCP connection, or a connected loopback UDP socket that has received a datagram.
 */
export type Needs = "tcp" | "udp" | "tcpPeer" | "udpConnected";

/** A typed call's run: the socket it needs, and the call. */
export interface PlatformCase {
  needs: Needs;
  run: (s: SocketRef, signal: AbortSignal) => unknown;
}

const GUID = "{0123abcd-4567-89ef-0a1b-2c3d4e5f6071}";

/** Runs a notification's first wait (a stream's first `next()`). */
const firstOf = (it: AsyncIterableIterator<unknown>) => it.next();

/** Every typed call, by name. */
export const PLATFORM_CASES: Readonly<Record<string, PlatformCase>> = {
  setNonBlocking: { needs: "tcp", run: (s) => sio.setNonBlocking(s, false) },
  bytesAvailable: { needs: "tcpPeer", run: (s) => sio.bytesAvailable(s) },
  atOobMark: { needs: "tcpPeer", run: (s) => sio.atOobMark(s) },
  setKeepAlive: {
    needs: "tcp",
    run: (s) => sio.setKeepAlive(s, { enabled: true, timeMs: 5000, intervalMs: 1000, count: 3 }),
  },
  setUdpConnReset: { needs: "udp", run: (s) => sio.setUdpConnReset(s, false) },
  setUdpNetReset: { needs: "udp", run: (s) => sio.setUdpNetReset(s, false) },
  setLoopbackFastPath: { needs: "tcp", run: (s) => sio.setLoopbackFastPath(s, true) },
  tcpInfo: { needs: "tcpPeer", run: (s) => sio.tcpInfo(s) },
  setTimestamping: {
    needs: "udp",
    // RX only: what macOS runs (its row says tx: true is refused); Linux runs both.
    run: (s) => sio.setTimestamping(s, { rx: true, tx: false, txBuffered: 8 }),
  },
  txTimestamp: { needs: "udp", run: (s) => sio.txTimestamp(s, 1) },
  txTimestampPoller: { needs: "udp", run: (s) => sio.txTimestampPoller(s).poll(1) },
  setTcpInitialRto: {
    needs: "tcp",
    run: (s) => sio.setTcpInitialRto(s, { rttMs: 0, maxSynRetransmissions: 0 }),
  },
  setTcpInitialCongestionWindow: {
    needs: "tcp",
    run: (s) => sio.setTcpInitialCongestionWindow(s, "high"),
  },
  setTcpAckFrequency: { needs: "tcp", run: (s) => sio.setTcpAckFrequency(s, 2) },
  setPriorityHint: { needs: "tcp", run: (s) => sio.setPriorityHint(s, "low") },
  setCompatibilityMode: {
    needs: "tcp",
    run: (s) => sio.setCompatibilityMode(s, { behavior: "all", targetOsVersion: 0x06000000 }),
  },
  setCpuAffinity: { needs: "udp", run: (s) => sio.setCpuAffinity(s, 0) },
  idealSendBacklog: { needs: "tcpPeer", run: (s) => sio.idealSendBacklog(s) },
  idealSendBacklogChange: {
    needs: "tcpPeer",
    run: (s, signal) => sio.idealSendBacklogChange(s, { signal }),
  },
  extensionFunction: { needs: "tcp", run: (s) => sio.extensionFunction(s, "ConnectEx") },
  baseHandle: { needs: "tcp", run: (s) => sio.baseHandle(s) },
  bspHandle: { needs: "tcp", run: (s) => sio.bspHandle(s, "poll") },
  interfaceList: { needs: "udp", run: (s) => sio.interfaceList(s) },
  interfaceListEx: { needs: "udp", run: (s) => sio.interfaceListEx(s) },
  addressList: { needs: "udp", run: (s) => sio.addressList(s) },
  addressListChange: { needs: "udp", run: (s, signal) => sio.addressListChange(s, { signal }) },
  addressListChanges: {
    needs: "udp",
    run: (s, signal) => firstOf(sio.addressListChanges(s, { signal })),
  },
  routingInterface: { needs: "udp", run: (s) => sio.routingInterface(s, "127.0.0.1") },
  routingInterfaceChange: {
    needs: "udp",
    run: (s, signal) => sio.routingInterfaceChange(s, "127.0.0.1", { signal }),
  },
  routingInterfaceChanges: {
    needs: "udp",
    run: (s, signal) => firstOf(sio.routingInterfaceChanges(s, "127.0.0.1", { signal })),
  },
  broadcastAddress: { needs: "udp", run: (s) => sio.broadcastAddress(s) },
  findRoute: { needs: "udp", run: (s) => sio.findRoute(s, "127.0.0.1") },
  flush: { needs: "tcp", run: (s) => sio.flush(s) },
  enableCircularQueueing: { needs: "udp", run: (s) => sio.enableCircularQueueing(s) },
  setMulticastScope: { needs: "udp", run: (s) => sio.setMulticastScope(s, 1) },
  setMultipointLoopback: { needs: "udp", run: (s) => sio.setMultipointLoopback(s, true) },
  setReceiveAll: { needs: "udp", run: (s) => sio.setReceiveAll(s, "on") },
  setReceiveAllMulticast: { needs: "udp", run: (s) => sio.setReceiveAllMulticast(s, "on") },
  setReceiveAllIgmp: { needs: "udp", run: (s) => sio.setReceiveAllIgmp(s, "on") },
  acquirePortReservation: {
    needs: "tcp",
    run: (s) => sio.acquirePortReservation(s, { startPort: 0, count: 4 }),
  },
  reservePorts: { needs: "tcp", run: (s) => sio.reservePorts(s, { count: 4 }).release() },
  releasePortReservation: { needs: "tcp", run: (s) => sio.releasePortReservation(s, 1n) },
  associatePortReservation: { needs: "udp", run: (s) => sio.associatePortReservation(s, 1n) },
  rssProcessorInfo: { needs: "udpConnected", run: (s) => sio.rssProcessorInfo(s) },
  rssScalabilityInfo: { needs: "tcp", run: (s) => sio.rssScalabilityInfo(s) },
  qos: { needs: "tcpPeer", run: (s) => sio.qos(s) },
  groupQos: { needs: "udp", run: (s) => sio.groupQos(s) },
  setQos: { needs: "tcp", run: (s) => sio.setQos(s, {}) },
  setGroupQos: { needs: "udp", run: (s) => sio.setGroupQos(s, {}) },
  checkQos: { needs: "udp", run: (s) => sio.checkQos(s, "localQosability") },
  associateHandle: {
    needs: "tcp",
    run: (s) => sio.associateHandle(s, { api: "netdev", handle: 1n }),
  },
  translateHandle: { needs: "tcp", run: (s) => sio.translateHandle(s, "tapi") },
  applyTransportSetting: {
    needs: "tcp",
    run: (s) => sio.applyTransportSetting(s, "realTimeNotification", { brokerEventGuid: GUID }),
  },
  queryTransportSetting: {
    needs: "tcp",
    run: (s) => sio.queryTransportSetting(s, "realTimeNotification"),
  },
  wfpAleEndpointHandle: { needs: "tcp", run: (s) => sio.wfpAleEndpointHandle(s) },
  wfpRedirectRecords: { needs: "tcpPeer", run: (s) => sio.wfpRedirectRecords(s) },
  wfpRedirectContext: { needs: "tcpPeer", run: (s) => sio.wfpRedirectContext(s) },
  setWfpRedirectRecords: {
    needs: "tcp",
    run: (s) => sio.setWfpRedirectRecords(s, new Uint8Array(8)),
  },
};

/**
 * What one run gave: refused (the UnsupportedError), or ran — a value, a wait still pending when
 * it was aborted (`waited`), or another error.
 */
export type Outcome =
  | { refused: UnsupportedError }
  | { refused?: undefined; value?: unknown; waited?: true; error?: unknown };

/** How long a notification's wait has to arm before it is aborted. */
const ARM_MS = 50;

/**
 * Runs a case on `s`: a Promise it returns is awaited, aborted after {@link ARM_MS} when it has
 * not settled by then (a wait that ran until the abort: `waited`).
 *
 * @returns The outcome.
 */
export async function outcome(c: PlatformCase, s: SocketRef): Promise<Outcome> {
  const abort = new AbortController();
  const reason = new Error("aborted by the test");
  const timer = setTimeout(() => abort.abort(reason), ARM_MS);
  try {
    const value = await c.run(s, abort.signal);
    return abort.signal.aborted ? { value, waited: true } : { value };
  } catch (e) {
    if (e === reason) return { waited: true };
    return e instanceof UnsupportedError ? { refused: e } : { error: e };
  } finally {
    clearTimeout(timer);
  }
}
