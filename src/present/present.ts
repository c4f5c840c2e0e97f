import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import QRCode from 'qrcode';
import { DeckError, DeckErrors, type Finding } from '../errors.js';
import { fewOf, type InkFile, serializeInk } from '../model/ink.js';
import { findDeckFiles } from '../outline/find-decks.js';
import { updateDecks, writeFileAtomic } from '../output/write.js';
import { diagramDrawer } from '../pipeline/diagrams.js';
import { inkPathOf, readInkFile } from '../pipeline/ink.js';
import type { PreparedDeck } from '../pipeline/prepare-deck.js';
import { prepareProject } from '../pipeline/prepare-project.js';
import type { CompiledTemplate } from '../render/compile-template.js';
import { shownPath } from '../shown.js';
import { assertPortFree } from '../serve/http.js';
import { startTalkServer, type TalkServer } from './server.js';
import { Talk } from './talk.js';
import { newToken, type View } from './tokens.js';

export interface PresentOptions {
  projectDir: string;
  /** The deck file to present. */
  deck: string;
  /** Listen on the room's network: an address of this machine, or 'auto' for its own. */
  lan?: string;
  port?: number;
  /** The deck's findings and the drawing file's problems, as the terminal prints them. */
  warn?: (findings: Finding[]) => void;
}

export interface PresentSession {
  urls: Record<View, string>;
  /** The address the server listens on. */
  host: string;
  server: TalkServer;
  /** The file the drawing is kept in. */
  inkFile: string;
  /** The remote's address as a QR code for a terminal (light modules as blocks). */
  remoteQr: string;
  close: () => Promise<void>;
}

/**
 * `lectern present`: builds the deck twice into a private folder (with notes for the speaker,
 * without for the audience), keeps its drawing beside the deck file, and serves the talk's three
 * views on 127.0.0.1, or on the room's network with `lan`. The folder goes when the session does.
 */
export async function presentDeck(options: PresentOptions): Promise<PresentSession> {
  const projectDir = resolve(options.projectDir);
  const [file, ...more] = findDeckFiles(projectDir, [options.deck]);
  if (!file || more.length)
    throw new DeckError('USAGE', `\`lectern present\` gives one deck; ${options.deck} holds ${more.length + 1}`, {
      hint: 'name the deck file: lectern present decks/talk.md',
    });
  const host = options.lan === undefined ? '127.0.0.1' : options.lan === 'auto' ? roomAddress() : options.lan;
  // A port already taken (or an address not this machine's) is said before anything is built.
  await assertPortFree(host, options.port ?? 8000);
  const root = mkdtempSync(join(tmpdir(), 'lectern-present-'));
  try {
    const templates = new Map<string, CompiledTemplate>();
    const build = async (folder: string, withoutNotes: boolean): Promise<PreparedDeck> => {
      const { prepared, errors } = await prepareProject({
        projectDir,
        inputs: [file],
        outDir: join(root, folder),
        pdf: false,
        templates,
        drawDiagrams: diagramDrawer(null, {}),
        ...(withoutNotes ? { withoutNotes: true } : {}),
      });
      if (errors.length) throw errors.length === 1 ? errors[0] : new DeckErrors(errors);
      updateDecks(
        join(root, folder),
        prepared.map((p) => p.output),
      );
      return prepared[0]!;
    };
    const speaker = await build('speaker', false);
    await build('audience', true);
    options.warn?.(speaker.findings);
    const { deck } = speaker;

    const inkFile = inkPathOf(file);
    const ink = readInk(inkFile, deck, shownPath(inkFile, projectDir), options.warn);
    let saving: NodeJS.Timeout | null = null;
    let failed = false;
    // A drawing that cannot be written (a full disk, a folder in its place) is said once, and the
    // talk goes on: the next change tries again.
    const save = (): void => {
      if (saving) clearTimeout(saving);
      saving = null;
      try {
        writeFileAtomic(inkFile, serializeInk(ink));
        failed = false;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        if (!failed)
          options.warn?.([
            {
              code: 'ANNOTATIONS_UNSAVED',
              message: `the drawing could not be saved to ${shownPath(inkFile, projectDir)}: ${why}`,
              pos: { file: shownPath(inkFile, projectDir) },
              hint: 'it is kept while the talk runs; free the file (or the disk) and draw again to save it',
            },
          ]);
        failed = true;
      }
    };
    const talk = new Talk(
      deck.stacks.flatMap((s) => s.slides).map((s) => ({ title: s.titleText, notes: s.notes })),
      ink,
    );
    const tokens: Record<View, string> = { presenter: newToken(), audience: newToken(), remote: newToken() };
    // The QR code names the address before the port is known when it is 0: draw it once listening.
    let qrSvg = '';
    let remoteSvg = '';
    const server = await startTalkServer({
      host,
      port: options.port ?? 8000,
      tokens,
      talk,
      speakerOut: join(root, 'speaker'),
      audienceOut: join(root, 'audience'),
      deckName: deck.name,
      title: deck.meta.title || deck.name,
      qr: () => ({ audience: qrSvg, remote: remoteSvg }),
      onInk: () => {
        if (saving) clearTimeout(saving);
        saving = setTimeout(save, 300);
      },
    });
    qrSvg = await QRCode.toString(server.urls.audience, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    remoteSvg = await QRCode.toString(server.urls.remote, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    let closed = false;
    return {
      urls: server.urls,
      host,
      server,
      inkFile,
      remoteQr: terminalQr(server.urls.remote),
      async close() {
        if (closed) return;
        closed = true;
        await server.close();
        if (saving) save();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

/** This machine's address on the room's network: its first IPv4 address that is not loopback. */
function roomAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  throw new DeckError('USAGE', '--lan: this machine has no network address to listen on', {
    hint: "join the room's Wi-Fi first, or name the address: --lan 192.168.1.20",
  });
}

/**
 * The drawing kept from earlier talks of this deck, scaled to the deck's size if that changed;
 * strokes that are not well formed are left out, with a warning.
 */
function readInk(
  path: string,
  deck: { width: number; height: number; slideCount: number },
  shown: string,
  warn: PresentOptions['warn'],
): InkFile {
  const { width, height } = deck;
  const { ink, dropped } = readInkFile(path);
  for (const key of Object.keys(ink.slides)) {
    if (Number(key) > deck.slideCount) {
      dropped.unshift(`slide ${key} (the deck has ${deck.slideCount})`);
      delete ink.slides[key];
    }
  }
  warn?.(
    fewOf(dropped).map((what) => ({
      code: 'ANNOTATIONS_UNREADABLE',
      message: `${shown}: ${what} is left out`,
      pos: { file: shown },
      hint: 'the file is written again, with what is kept, when something is drawn',
    })),
  );
  const sx = ink.width ? width / ink.width : 1;
  const sy = ink.height ? height / ink.height : 1;
  if (sx !== 1 || sy !== 1) {
    for (const strokes of Object.values(ink.slides))
      for (const stroke of strokes)
        stroke.points = stroke.points.map(([x, y]) => [Math.round(x * sx * 10) / 10, Math.round(y * sy * 10) / 10]);
  }
  return { width, height, slides: ink.slides };
}

/** A QR code for a terminal: two modules a character, light ones as blocks, with its quiet zone. */
function terminalQr(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'L' });
  const size = modules.size;
  const light = (r: number, c: number): boolean => r < 0 || c < 0 || r >= size || c >= size || !modules.get(r, c);
  const lines: string[] = [];
  for (let r = -2; r < size + 2; r += 2) {
    let line = '';
    for (let c = -2; c < size + 2; c++) {
      const top = light(r, c);
      const bottom = light(r + 1, c);
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
