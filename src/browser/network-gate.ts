import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrowserContext, Page } from 'puppeteer-core';
import type { LaunchedBrowser } from './launch.js';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback.js';

/** What a page may reach past its interception: http(s), when remote loads are allowed. */
export interface GatePolicy {
  allowRemote: boolean;
  /** Everything refused, as the page asked for it. */
  blocked: string[];
  /** Servers of decks this page showed before: refused without being reported. */
  retired: string[];
}

export interface NetworkGate {
  /** The proxy a browser context is pointed at: `http://127.0.0.1:PORT`. */
  proxy: string;
  close: () => Promise<void>;
}

/**
 * The only way out of a page's browser context: a proxy on 127.0.0.1 that every connection of
 * the context goes through (loopback included), so requests the page's own interception never
 * sees (WebSockets, workers, popups, beacons, prefetches) are refused too, and reported.
 * The deck's own files never get here (interception answers them); only remote loads, when
 * allowed, leave. `policyOf` names the policy of the moment: a gate opened with the browser
 * serves the window it started with, whose page learns its policy later.
 */
export async function openNetworkGate(policyOf: () => GatePolicy): Promise<NetworkGate> {
  // Node's HTTP loads with the first gate: a build that starts no browser does without it.
  const { createServer, request } = await import('node:http');
  const refuse = (what: string): void => {
    const policy = policyOf();
    if (policy.retired.some((old) => what.startsWith(`${old}/`) || what === old)) return;
    if (!policy.blocked.includes(what)) policy.blocked.push(what);
  };
  const tunnels = new Set<Socket>();
  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!(policyOf().allowRemote && url.protocol === 'http:')) {
      refuse(url.href);
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end('refused by Lectern: a deck may load only its own files');
      return;
    }
    forward(request, req, res, url);
  });
  // https and WebSockets ask for a tunnel: only remote loads, when allowed, get one.
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const [host, port] = splitHostPort(target);
    if (!policyOf().allowRemote || !host) {
      refuse(`${target} (a WebSocket or https connection)`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port) || 443, host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    // A tunnel ends whole when either end goes, and with the gate: a remote end that never
    // hangs up must not keep the gate (and so the run) open.
    tunnels.add(socket);
    tunnels.add(upstream);
    const end = (): void => {
      socket.destroy();
      upstream.destroy();
      tunnels.delete(socket);
      tunnels.delete(upstream);
    };
    for (const side of [socket, upstream]) {
      side.on('error', end);
      side.on('end', end);
      side.on('close', end);
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    refuse((req.url ?? '').replace(/^http/, 'ws'));
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  const { origin, close } = await listenOnLoopback(server);
  return {
    proxy: origin,
    close: () => {
      for (const side of tunnels) side.destroy();
      tunnels.clear();
      return close();
    },
  };
}

function forward(
  request: typeof import('node:http').request,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const headers = { ...req.headers };
  delete headers['proxy-connection'];
  const upstream = request(
    {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || 80,
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

function splitHostPort(target: string): [string, string] {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(target);
  return m ? [m[1]!, m[2]!] : [target, ''];
}

/** A page in a browser context of its own, every connection of which passes its own gate. */
interface GatedPage {
  page: Page;
  /** Closes the page's window and then its gate (a connected browser's pages have none). */
  close: () => Promise<void>;
}

/**
 * A proxy no connection gets through: the way out of a page in a browser Lectern connected to.
 * Such a browser may be on another machine and cannot reach a gate on this one; its pages get
 * their deck over the DevTools connection and nothing else.
 */
const NO_WAY_OUT = 'http://127.0.0.1:1';

/** Closes a window, bounded: a page stuck mid-work must not hold up a failing run. */
async function closeBounded(closing: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, 3_000)));
  await Promise.race([closing.catch(() => undefined), gaveUp]);
  clearTimeout(timer);
}

/** Popups are closed at once, and reported. */
function closePopups(context: BrowserContext, policy: GatePolicy): void {
  context.on('targetcreated', (target) => {
    if (!target.opener()) return;
    if (target.url() && target.url() !== 'about:blank' && !policy.blocked.includes(target.url()))
      policy.blocked.push(target.url());
    void target.page().then(
      (popup) => popup?.close(),
      () => undefined,
    );
  });
}

/**
 * Opens a page in a window of its own. A browser Lectern launched gets a gate on 127.0.0.1 per
 * window, which refuses and reports what interception cannot see; a browser it connected to
 * gets no way out at all (or, with remote loads allowed, its own network). The first page of a
 * launched browser is the window it started with, behind the gate it was started with: a new
 * window costs full Chromium a fifth of a second to open and its first deck more to load.
 */
export async function openGatedPage(
  launched: LaunchedBrowser,
  policy: GatePolicy,
  allowRemote: boolean,
): Promise<GatedPage> {
  const first = launched.takeFirstWindow?.(policy);
  if (first) {
    const context = launched.browser.defaultBrowserContext();
    closePopups(context, policy);
    const page = (await first) ?? (await context.newPage());
    return { page, close: () => closeBounded(page.close()) };
  }
  const gate = launched.connected ? null : await openNetworkGate(() => policy);
  try {
    // `<-loopback>` sends 127.0.0.1 through the gate too: "remote" may be another local port.
    const proxyServer = gate ? gate.proxy : allowRemote ? undefined : NO_WAY_OUT;
    const context = await launched.browser.createBrowserContext(
      proxyServer ? { proxyServer, proxyBypassList: ['<-loopback>'] } : {},
    );
    closePopups(context, policy);
    return {
      page: await context.newPage(),
      close: () => closeBounded(context.close()).finally(() => gate?.close()),
    };
  } catch (err) {
    await gate?.close();
    throw err;
  }
}
