import { realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { FINDINGS_RECORD, WRITTEN_RECORD } from '../output/write.js';
import { hostsOf, listen, rendered, sendFile, urlHost } from '../serve/http.js';
import { resolveRequest } from '../static-files.js';
import { clientScript } from './client.js';
import { presenterPage, remotePage } from './pages.js';
import type { Talk, TalkEvent } from './talk.js';
import { type View, viewOfToken } from './tokens.js';

export interface TalkServerOptions {
  host: string;
  port: number;
  tokens: Record<View, string>;
  talk: Talk;
  /** The output folders the deck was built into: with notes for the speaker, without for the audience. */
  speakerOut: string;
  audienceOut: string;
  /** The deck's folder name in both. */
  deckName: string;
  title: string;
  /** QR codes of the audience's and the remote's addresses, as SVG (drawn once the port is known). */
  qr: () => { audience: string; remote: string };
  /** Called after the ink changed (the caller keeps the file). */
  onInk: () => void;
}

export interface TalkServer {
  /** The address the server answers on, e.g. http://127.0.0.1:8000. */
  origin: string;
  urls: Record<View, string>;
  /** How many pages of each view are connected now. */
  connected: () => Record<View, number>;
  close: () => Promise<void>;
}

/** Where a view's page finds its script, its event stream and its commands, under its token. */
const API = '__lectern';
/** A page that cannot keep up is dropped (it reconnects and is sent where the talk is): memory stays bounded. */
const MAX_BUFFERED = 256 * 1024;
/** The room's pages and the speaker's are counted apart: a full room never locks the speaker out. */
const MAX_AUDIENCE = 2000;
const MAX_SPEAKER = 64;
const MAX_BODY = 1024 * 1024;

/** Lectern's own records in a built deck, which no page needs and which name its files: never served. */
const bookkeeping = new Set(['deck.json', WRITTEN_RECORD, FINDINGS_RECORD]);

/** Headers of the pages Lectern writes for the talk: they run only their own script. */
const pageHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};
/** Every response: no address with a token in it leaves as a Referer. */
const everyResponse = { 'referrer-policy': 'no-referrer' };

/**
 * The talk's HTTP server. Every address starts with a view's token; a request without a valid one
 * gets 404, as a file that is not there would. The presenter's token opens its page and the deck
 * with notes; the audience's the deck without notes; the remote's its page. Pages follow the
 * talk over Server-Sent Events and send what they may over POST. Requests for another Host
 * (DNS rebinding) and from another Origin are refused.
 */
export async function startTalkServer(options: TalkServerOptions): Promise<TalkServer> {
  const { talk, tokens } = options;
  const clients = new Set<{ view: View; res: ServerResponse; greeting: boolean }>();
  let allowedHosts = new Set<string>();
  const speakerRoot = realpathSync(options.speakerOut);
  const audienceRoot = realpathSync(options.audienceOut);

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, everyResponse);
      res.end();
    }
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;

  const refuse = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...everyResponse }).end(`${text}\n`);
  };

  const fromHere = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    return origin === undefined || [...allowedHosts].some((host) => origin.toLowerCase() === `http://${host}`);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      refuse(res, 421, 'Misdirected request: unknown Host');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/([A-Za-z0-9_-]{1,128})(\/.*)?$/.exec(path);
    const view = match ? viewOfToken(match[1]!, tokens) : null;
    if (!match || !view) {
      refuse(res, 404, 'Not found');
      return;
    }
    const rest = match[2];
    if (rest === undefined) {
      res.writeHead(302, { location: `/${match[1]}/`, ...everyResponse }).end();
      return;
    }
    if (rest === `/${API}/command`) {
      command(view, req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...everyResponse }).end();
      return;
    }
    if (rest === `/${API}/events`) {
      openEvents(view, req, res);
      return;
    }
    if (rest === `/${API}/client.js`) {
      res
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', ...pageHeaders })
        .end(req.method === 'HEAD' ? undefined : clientScript(view, `/${match[1]}/${API}`));
      return;
    }
    if (rest === `/${API}/qr.svg`) {
      res.writeHead(200, { 'content-type': 'image/svg+xml', ...pageHeaders }).end(options.qr().audience);
      return;
    }
    const page = (html: string): void => {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...pageHeaders })
        .end(req.method === 'HEAD' ? undefined : html);
    };
    if (view === 'remote') {
      if (rest === '/') {
        page(remotePage(options.title));
        return;
      }
      refuse(res, 404, 'Not found');
      return;
    }
    if (view === 'presenter') {
      if (rest === '/') {
        page(presenterPage(options.title, options.qr()));
        return;
      }
      if (rest.startsWith('/deck/')) {
        deckFile(req, res, speakerRoot, rest.slice('/deck'.length), '');
        return;
      }
      refuse(res, 404, 'Not found');
      return;
    }
    deckFile(req, res, audienceRoot, rest, `<script src="/${match[1]}/${API}/client.js"></script>`);
    return;
  }

  /** A file of the built deck, from its folder only; Lectern's pages get `tag`. */
  function deckFile(req: IncomingMessage, res: ServerResponse, root: string, rest: string, tag: string): void {
    const deckRoot = join(root, options.deckName);
    const found = resolveRequest(deckRoot, rest);
    const file =
      found.status === 200 && bookkeeping.has(relative(deckRoot, found.path).split(sep).join('/').toLowerCase())
        ? { status: 404 as const }
        : found;
    if (file.status !== 200) {
      refuse(res, file.status, file.status === 403 ? 'Forbidden' : 'Not found');
      return;
    }
    const rel = relative(root, file.path).split(sep).join('/');
    sendFile(req, res, file.path, rendered(rel), tag, everyResponse);
  }

  function openEvents(view: View, req: IncomingMessage, res: ServerResponse): void {
    if (!fromHere(req)) {
      refuse(res, 403, 'Forbidden origin');
      return;
    }
    const full =
      view === 'audience' ? count('audience') >= MAX_AUDIENCE : clients.size - count('audience') >= MAX_SPEAKER;
    if (full) {
      refuse(res, 503, 'Too many pages are following this talk');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...everyResponse,
    });
    res.socket?.setNoDelay(true);
    const client = { view, res, greeting: true };
    clients.add(client);
    // A late joiner lands where the talk is, with everything drawn so far: a slide at a time,
    // each as it is then, waiting for the page to take one before the next (changes meanwhile
    // reach it too; a slide's full list sent after them includes them).
    write(client, 'state', JSON.stringify(talk.stateFor(view === 'audience' ? 'all' : 'speaker')));
    void (async () => {
      for (const slide of Object.keys(talk.ink.slides)) {
        if (res.destroyed) return;
        if (res.writableLength > MAX_BUFFERED)
          await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
        const strokes = talk.ink.slides[slide];
        if (strokes && !res.destroyed)
          res.write(`event: ink\ndata: ${JSON.stringify({ slide: Number(slide), strokes })}\n\n`);
      }
      client.greeting = false;
    })();
    req.on('close', () => {
      clients.delete(client);
      tellViewers();
    });
    tellViewers();
  }

  function command(view: View, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', ...everyResponse }).end();
      return;
    }
    if (!fromHere(req)) {
      refuse(res, 403, 'Forbidden origin');
      return;
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      refuse(res, 415, 'Commands are JSON (content-type: application/json)');
      return;
    }
    if (view === 'audience') {
      req.resume();
      refuse(res, 403, 'The audience view follows the talk; it cannot drive it');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        refuse(res, 413, 'Too large');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        refuse(res, 400, 'Not JSON');
        return;
      }
      const result = talk.apply(view, body);
      if ('status' in result) {
        refuse(res, result.status, result.why);
        return;
      }
      if (result.events.some((e) => e.type === 'command') && count('presenter') === 0) {
        refuse(res, 409, 'The presenter view is not open: open its address on the laptop first');
        return;
      }
      for (const event of result.events) send(event);
      if (result.inkChanged) options.onInk();
      res.writeHead(204, everyResponse).end();
    });
  }

  const count = (view: View): number => [...clients].filter((c) => c.view === view).length;

  /** One event to one page; a page that has not taken what it was sent before is let go. */
  function write(client: { res: ServerResponse; greeting: boolean }, type: string, data: string): void {
    if (client.res.destroyed) return;
    // While it is being greeted a page's queue holds the greeting, which waits for it to drain
    // (a slide's drawing at most, bounded by inkLimits).
    if (!client.greeting && client.res.writableLength > MAX_BUFFERED) {
      client.res.destroy();
      return;
    }
    client.res.write(`event: ${type}\ndata: ${data}\n\n`);
  }

  function send(event: TalkEvent): void {
    const data = JSON.stringify(event.data);
    // A command is carried out once: by the presenter page opened last (the others follow it).
    if (event.to === 'presenter') {
      const newest = [...clients].filter((c) => c.view === 'presenter').at(-1);
      if (newest) write(newest, event.type, data);
      return;
    }
    for (const client of clients) {
      const to = event.to;
      const gets =
        to === 'all' ||
        (to === 'audience' && client.view === 'audience') ||
        (to === 'speaker' && client.view !== 'audience');
      if (gets) write(client, event.type, data);
    }
  }

  function tellViewers(): void {
    send({ type: 'viewers', to: 'speaker', data: { audience: count('audience'), remote: count('remote') } });
  }

  const port = await listen(server, options.host, options.port);
  allowedHosts = hostsOf(options.host, port);
  const heartbeat = setInterval(() => {
    for (const client of clients) client.res.write(': still here\n\n');
  }, 15_000);
  heartbeat.unref();
  const origin = `http://${urlHost(options.host)}:${port}`;
  return {
    origin,
    urls: {
      presenter: `${origin}/${tokens.presenter}/`,
      audience: `${origin}/${tokens.audience}/`,
      remote: `${origin}/${tokens.remote}/`,
    },
    connected: () => ({ presenter: count('presenter'), audience: count('audience'), remote: count('remote') }),
    close: () =>
      new Promise((resolve) => {
        clearInterval(heartbeat);
        for (const client of clients) client.res.end();
        clients.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
