import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { configFileNames, loadProjectConfig } from '../config/load-config.js';
import { projectDefaults } from '../config/schema.js';
import { bySourcePosition, DeckErrors, formatDiagnostic, toDeckError, type SourcePos } from '../errors.js';
import { findDeckFiles } from '../outline/find-decks.js';
import { collectSummaries } from '../output/manifest.js';
import { updateDecks, writeFileAtomic } from '../output/write.js';
import { shownPath } from '../shown.js';
import type { PreparedDeck } from '../pipeline/prepare-deck.js';
import { diagramDrawer } from '../pipeline/diagrams.js';
import { prepareProject } from '../pipeline/prepare-project.js';
import type { CompiledTemplate } from '../render/compile-template.js';
import { renderIndexPage } from '../render/index-page.js';
import { assertPortFree, startDevServer, type DevServer, type LiveEvent } from './http.js';
import { watchFolders, type WatchTarget } from './watch.js';

interface ServeOptions {
  projectDir: string;
  /** Deck files or folders; default: the config's decks folder. */
  inputs?: string[];
  host?: string;
  port?: number;
  /** Where to say what happens (the CLI passes the terminal). */
  log?: (line: string) => void;
  problem?: (text: string) => void;
}

export interface ServeSession {
  url: string;
  server: DevServer;
  /** The private output folder the server serves. */
  outDir: string;
  /** Resolves after each batch of rebuilds, with the decks rebuilt (for tests and benchmarks). */
  rebuilt: (listener: (files: string[]) => void) => void;
  close: () => Promise<void>;
}

/**
 * `lectern serve`: builds every deck into a private folder, serves it on 127.0.0.1, watches
 * the decks, their templates and their images, and rebuilds only the decks a change affects.
 * A build that fails keeps the last good one on screen and shows the error in the page and the
 * terminal until a good save clears it.
 */
export async function serveDecks(options: ServeOptions): Promise<ServeSession> {
  const projectDir = resolve(options.projectDir);
  // A port already taken is said before anything is built.
  await assertPortFree(options.host ?? '127.0.0.1', options.port ?? 8000);
  const log = options.log ?? (() => undefined);
  const problem = options.problem ?? log;
  const outDir = mkdtempSync(join(tmpdir(), 'lectern-serve-'));
  const inputs = (): string[] => {
    if (options.inputs?.length) return options.inputs;
    return [loadProjectConfig(projectDir).config.decks ?? projectDefaults.decks];
  };

  const built = new Map<string, PreparedDeck>();
  // Compiled templates kept between rebuilds; cleared whenever a template file changes.
  const templates = new Map<string, CompiledTemplate>();
  const failed = new Map<string, string>();
  // The check findings of each deck's last good build, for the page's panel.
  const findings = new Map<string, NonNullable<LiveEvent['items']>>();
  const listeners: ((files: string[]) => void)[] = [];
  let server: DevServer | null = null;

  const nameOf = (file: string): string => basename(file, extname(file));
  const shown = (file: string): string => shownPath(file, projectDir);

  /**
   * One deck rebuilt for the preview: prepared like any build, then its folder updated in place
   * (the open pages keep loading from it) and the index refreshed (but during the first build,
   * which writes it once at its end). Findings are shown, not fatal.
   */
  async function rebuild(file: string, index: boolean): Promise<PreparedDeck> {
    const { prepared, errors } = await prepareProject({
      projectDir,
      inputs: [file],
      outDir,
      pdf: false,
      templates,
      drawDiagrams: diagramDrawer(null, {}),
    });
    if (errors.length) throw errors.length === 1 ? errors[0] : new DeckErrors(errors);
    updateDecks(
      outDir,
      prepared.map((p) => p.output),
    );
    if (index) writeIndex();
    return prepared[0]!;
  }

  const writeIndex = (): void => writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));

  async function buildOne(file: string, index = true): Promise<boolean> {
    try {
      const deck = await rebuild(file, index);
      built.set(file, deck);
      if (failed.delete(file)) server?.send({ type: 'clear', deck: nameOf(file) });
      const items = [...deck.findings].sort(bySourcePosition).map((w) => ({
        severity: w.severity ?? ('warning' as const),
        text: formatDiagnostic(w.severity ?? 'warning', w.code, w.message, short(w.pos), w.hint),
      }));
      for (const item of items) problem(item.text);
      findings.set(file, items);
      server?.send({ type: 'findings', deck: nameOf(file), file: shown(file), items });
      return true;
    } catch (err) {
      const errors = err instanceof DeckErrors ? err.errors : [toDeckError(err)];
      const text = errors.map((e) => formatDiagnostic('error', e.code, e.message, short(e.pos), e.hint)).join('\n');
      failed.set(file, text);
      problem(text);
      server?.send({ type: 'problem', deck: nameOf(file), text });
      return false;
    }
  }

  const short = (pos: SourcePos | undefined): SourcePos | undefined => (pos ? { ...pos, file: shown(pos.file) } : pos);

  const deckFiles = (): string[] => {
    try {
      return findDeckFiles(projectDir, inputs());
    } catch {
      return [];
    }
  };

  // First build: every deck on its own, so one broken deck does not hide the others. A deck or
  // folder that is not there is INPUT_MISSING, as for `build`, before anything is served.
  const started = performance.now();
  let first: string[];
  try {
    first = findDeckFiles(projectDir, inputs());
  } catch (err) {
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  }
  for (const file of first) await buildOne(file, false);
  writeIndex();
  log(
    `built ${built.size} deck${built.size === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms${failed.size ? `, ${failed.size} with errors` : ''}`,
  );

  try {
    server = await startDevServer(outDir, { host: options.host ?? '127.0.0.1', port: options.port ?? 8000 });
  } catch (err) {
    // A port already taken leaves no private folder behind.
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  }
  server.setGreeting((deck) => [
    ...[...findings]
      .filter(([file]) => nameOf(file) === deck)
      .map(([file, items]): LiveEvent => ({ type: 'findings', deck: nameOf(file), file: shown(file), items })),
    ...[...failed]
      .filter(([file]) => deck === '' || nameOf(file) === deck)
      .map(([file, text]): LiveEvent => ({ type: 'problem', deck: nameOf(file), text })),
  ]);

  const targets = (): WatchTarget[] => {
    const list: WatchTarget[] = [{ dir: projectDir, recursive: false }];
    for (const input of inputs()) {
      const path = resolve(projectDir, input);
      list.push({ dir: /\.(md|qmd)$/.test(path) ? dirname(path) : path, recursive: false });
    }
    for (const deck of built.values()) {
      for (const dir of deck.sources.templateDirs) list.push({ dir, recursive: true });
      for (const asset of deck.sources.assets) list.push({ dir: dirname(asset), recursive: false });
    }
    return list;
  };

  /** The deck files a batch of changed paths affects, and the paths that mattered. */
  const affected = (paths: Set<string>): { files: string[]; causes: string[] } => {
    const current = deckFiles();
    const out = new Set<string>();
    const causes = new Set<string>();
    const hit = (file: string, path: string): void => {
      out.add(file);
      causes.add(path);
    };
    for (const path of paths) {
      if (configFileNames.some((n) => path === join(projectDir, n))) for (const f of current) hit(f, path);
      if (current.includes(path)) hit(path, path);
      for (const [file, deck] of built) {
        if (deck.sources.assets.includes(path)) hit(file, path);
        if (deck.sources.templateDirs.some((dir) => path.startsWith(dir + sep))) hit(file, path);
      }
      // A deck that has never built has no sources yet: any template change may fix it.
      for (const file of failed.keys()) if (!built.has(file) && !/\.(md|qmd)$/.test(path)) hit(file, path);
    }
    return { files: [...out].filter((f) => current.includes(f)), causes: [...causes] };
  };

  let queue: Promise<void> = Promise.resolve();
  const watcher = watchFolders((paths) => {
    queue = queue.then(async () => {
      const { files, causes } = affected(paths);
      if (!files.length) return;
      // Only a change to deck files themselves leaves the compiled templates valid.
      if (!causes.every((p) => files.includes(p))) templates.clear();
      const begun = performance.now();
      const results: string[] = [];
      for (const file of files) {
        if (await buildOne(file)) {
          server!.send({ type: 'reload', deck: nameOf(file) });
          results.push(shown(file));
        }
      }
      const changed = causes.map(shown).join(', ');
      if (results.length)
        log(`rebuilt ${results.join(', ')} in ${Math.round(performance.now() - begun)} ms (changed: ${changed})`);
      watcher.set(targets());
      for (const listener of listeners) listener(files);
    });
  });
  watcher.set(targets());

  let closed = false;
  return {
    url: server.url,
    server,
    outDir,
    rebuilt: (listener) => listeners.push(listener),
    async close() {
      if (closed) return;
      closed = true;
      watcher.close();
      await queue.catch(() => undefined);
      await server!.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
