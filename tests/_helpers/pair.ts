/** A connected loopback TCP pair for the native tests (Linux and Wine). */

import { Socket } from "../../socket.ts";

/** The listening socket, the connecting end and the accepted end. */
export interface TcpPair {
  /** The listener (still open). */
  server: Socket;
  /** The end that connected. */
  client: Socket;
  /** The end `accept` returned. */
  peer: Socket;
  /** Closes all three. */
  close(): void;
  /** Closes all three (`using`). */
  [Symbol.dispose](): void;
}

/** Opens a listener on the loopback address of `family`, connects to it and accepts. */
export function tcpPair(family: "inet" | "inet6" = "inet"): TcpPair {
  const host = family === "inet" ? "127.0.0.1" : "::1";
  const opened: Socket[] = [];
  try {
    const server = Socket.open(family, "stream");
    opened.push(server);
    server.bind(host, 0);
    server.listen();
    const client = Socket.open(family, "stream");
    opened.push(client);
    client.connect(host, server.localAddress().port);
    const peer = server.accept();
    opened.push(peer);
    const close = () => {
      for (const s of opened) s.close();
    };
    return { server, client, peer, close, [Symbol.dispose]: close };
  } catch (error) {
    for (const s of opened) s.close();
    throw error;
  }
}
