import { createReadStream, realpathSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative, sep } from 'node:path';
import { runtimeDir } from '../deck-layout.js';
import { DeckError } from '../errors.js';
import { CLIENT_PATH, EVENTS_PATH, liveReloadScript, type LiveEvent } from './client.js';
import { contentTypeOf, resolveRequest } from '../static-files.js';
import { readRegularText } from '../read-file.js';

export type { LiveEvent } from './client.js';

export interface DevServer {
  url: string;
  host: string;
  port: number;
  /** Sends an event to the pages showing the deck it names. */
  send: (event: LiveEvent) => void;
  /** What a page that connects now must be told at once (errors still standing). */
  setGreeting: (greet: (deck: string) => LiveEvent[]) => void;
  close: () => Promise<void>;
}

/**
 * The preview server: serves one folder and nothing outside it, adds the live-reload client to
 * HTML pages, and pushes events over Server-Sent Events. Requests whose Host is not this
 * server's address (DNS rebinding) and event streams opened from another Origin are refused.
 */
export async function startDevServer(root: string, options: { host: string; port: number }): Promise<DevServer> {
  const realRoot = realpathSync(root);
  const clients = new Set<{ deck: string; res: ServerResponse }>();
  let greet: (deck: string) => LiveEvent[] = () => [];
  let allowedHosts = new Set<string>();

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request: unknown Host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (rawPath === EVENTS_PATH) {
      openEvents(req, res);
      return;
    }
    if (rawPath === CLIENT_PATH) {
      res
        .writeHead(200, { 'content-type': contentTypeOf('client.js'), 'cache-control': 'no-cache' })
        .end(liveReloadScript);
      return;
    }
    const file = resolveRequest(realRoot, rawPath);
    if (file.status !== 200) {
      res
        .writeHead(file.status, { 'content-type': 'text/plain' })
        .end(file.status === 403 ? 'Forbidden\n' : 'Not found\n');
      return;
    }
    sendFile(
      req,
      res,
      file.path,
      rendered(relative(realRoot, file.path).split(sep).join('/')),
      `<script src="${CLIENT_PATH}"></script>`,
    );
  }

  function openEvents(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin !== undefined && ![...allowedHosts].some((host) => origin.toLowerCase() === `http://${host}`)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden origin\n');
      return;
    }
    const deck = new URL(req.url ?? '/', 'http://x').searchParams.get('deck') ?? '';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const client = { deck, res };
    clients.add(client);
    for (const event of greet(deck)) writeEvent(res, event);
    req.on('close', () => clients.delete(client));
  }

  const port = await listen(server, options.host, options.port);
  const shownHost = urlHost(options.host);
  allowedHosts = hostsOf(options.host, port);

  return {
    url: `http://${shownHost}:${port}/`,
    host: options.host,
    port,
    send(event) {
      for (const client of clients)
        if (event.deck === '*' || client.deck === event.deck || client.deck === '') writeEvent(client.res, event);
    },
    setGreeting(fn) {
      greet = fn;
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of clients) client.res.end();
        clients.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An address as a URL writes it: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The Host headers a server on `host:port` answers (anything else may be DNS rebinding): its own
 * address, and on loopback every name of loopback.
 */
export function hostsOf(host: string, port: number): Set<string> {
  const hosts = new Set([`${urlHost(host)}:${port}`.toLowerCase()]);
  if (['127.0.0.1', '::1', 'localhost'].includes(host)) {
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(`${name}:${port}`);
  }
  return hosts;
}

/**
 * Listens on `host:port`; a port already taken is PORT_IN_USE, any other failure a USAGE error
 * naming the address.
 */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new DeckError('PORT_IN_USE', `port ${port} on ${host} is already in use`, {
            hint: `stop what is using it, or choose another port with --port (for example --port ${port + 1})`,
          }),
        );
      } else {
        reject(
          new DeckError('USAGE', `cannot listen on ${host}:${port}: ${err.message}`, {
            hint:
              err.code === 'EADDRNOTAVAIL'
                ? "that address is not one of this machine's"
                : 'check the address and --port',
          }),
        );
      }
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * PORT_IN_USE (or a bad address) before any work is done: the port is taken for a moment and let
 * go. Port 0 (any free one) is always free.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, host, port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function writeEvent(res: ServerResponse, event: LiveEvent): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * Whether Lectern wrote the file from its own templates and code: the index, a deck's page, its
 * single-file page, its deck.json and its runtime. Everything else in the folder a deck carries.
 * `rel` is the path from the output folder.
 */
export function rendered(rel: string): boolean {
  return (
    /^[^/]+\.html$/.test(rel) ||
    /^[^/]+\/(index\.html|deck\.json)$/.test(rel) ||
    new RegExp(`^[^/]+/${runtimeDir}/`).test(rel)
  );
}

/** What a deck carries is sent as a document that can run nothing and load nothing it names. */
const carried = {
  'content-security-policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

/**
 * Sends a file of a built deck: Lectern's own pages with `tag` (a script) added before `</body>`,
 * never cached; anything the deck carries as a document that can run nothing.
 */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ours: boolean,
  tag: string,
  headers: Record<string, string> = {},
): void {
  const stat = statSync(path);
  const type = contentTypeOf(path);
  const guard = ours ? {} : carried;
  if (type.startsWith('text/html') && ours) {
    // Pages get the client; they are small and rebuilt often, so never cached.
    const html = readRegularText(path);
    const body = html.includes('</body>')
      ? html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${tag}\n</body>`)
      : `${html}\n${tag}`;
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'cache-control': 'no-cache', ...guard, ...headers }).end();
    return;
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': stat.size,
    etag,
    'cache-control': 'no-cache',
    ...guard,
    ...headers,
  });
  if (req.method === 'HEAD') res.end();
  else pipeline(createReadStream(path), res, () => undefined);
}
