import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server of Lectern's own on 127.0.0.1, on any free port. */
interface LoopbackServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Closes the server and every connection still open on it. */
  close: () => Promise<void>;
}

/** Starts `server` listening on 127.0.0.1 only, on a port the system picks. */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
