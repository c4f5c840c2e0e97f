import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Stands in for "remote": an HTTP server on 127.0.0.1 that records every connection, request,
 * WebSocket upgrade and tunnel, and a UDP socket on the same port number range that records
 * every datagram (STUN from WebRTC). A test that expects no egress asserts `hits` is empty.
 */
export interface LoggingServer {
  url: string;
  port: number;
  /** A UDP port for `stun:` URLs. */
  udpPort: number;
  /** Every request line seen (`GET /path`), upgrade and datagram, in order. */
  hits: string[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: () => number;
  close: () => Promise<void>;
}

export async function startLoggingServer(): Promise<LoggingServer> {
  const hits: string[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('logged');
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    socket.on('error', () => undefined);
  });
  server.on('upgrade', (req, socket) => {
    hits.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  server.on('connect', (req, socket) => {
    hits.push(`CONNECT ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', (msg) => hits.push(`UDP ${msg.length} bytes`));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    udpPort: udp.address().port,
    hits,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}
