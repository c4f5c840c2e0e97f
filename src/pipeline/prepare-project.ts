import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import { assertOutputApart, reservedDeckName } from '../output/ownership.js';
import { remoteCache } from '../assets/remote-cache.js';
import { downloadRemote } from '../output/download.js';
import type { DeckLayer } from '../config/schema.js';
import { DeckError, DeckErrors, toDeckError } from '../errors.js';
import type { PdfOptions } from '../pdf/export.js';
import { findDeckFiles } from '../outline/find-decks.js';
import type { DeckOutput } from '../output/write.js';
import type { BuiltDeck } from './prepare-deck.js';
import type { CompiledTemplate } from '../render/compile-template.js';

/** One deck ready to write: what the run reports of it, and its files. */
export type PreparedDeck = { built: BuiltDeck; output: DeckOutput };

/** What a run reads: the project, the decks asked for, and the options that shape them. */
export interface ProjectInput {
  projectDir: string;
  inputs?: string[];
  outDir?: string;
  flags?: DeckLayer;
  /** PDF options, or false when the decks get no PDF (their summaries name it otherwise). */
  pdf?: PdfOptions | false;
  preview?: { templates: Map<string, CompiledTemplate> };
  signal?: AbortSignal;
  /** False for runs that write nothing (check): the output folder is not looked at. */
  writes?: boolean;
}

/** Every deck of a run through every stage up to the files to write; nothing is written. */
export async function prepareProject(options: ProjectInput): Promise<{ outDir: string; prepared: PreparedDeck[]; errors: DeckError[] }> {
  // The build stages load here, after the browser has started launching: their start-up
  // overlaps with the browser's.
  const [{ loadProjectConfig }, { projectDefaults }, { display, findReveal, prepareDeck, withPosition }] = await Promise.all([
    import('../config/load-config.js'),
    import('../config/schema.js'),
    import('./prepare-deck.js'),
  ]);
  const projectDir = resolve(options.projectDir);
  const { config, locate: locateConfig } = loadProjectConfig(projectDir);
  const { decks: decksDir = projectDefaults.decks, out = projectDefaults.out, ...configDeckLayer } = config;
  const outDir = resolve(projectDir, options.outDir ?? out);
  const files = findDeckFiles(projectDir, options.inputs?.length ? options.inputs : [decksDir]);
  const templates = options.preview?.templates ?? new Map<string, CompiledTemplate>();
  const revealDir = findReveal();
  const remote = remoteCache(projectDir, options.writes !== false);

  const prepared: PreparedDeck[] = [];
  const errors: DeckError[] = [];
  for (const file of files) {
    const name = basename(file, extname(file));
    if (reservedDeckName(name)) {
      errors.push(new DeckError('DECK_NAME_RESERVED', `a deck named "${name}" would be written over Lectern's own ${name === '.' || name === '..' ? 'output folder' : 'files'}`, {
        pos: { file: display(projectDir, file), line: 1, column: 1 },
        hint: "rename the deck file: index.html, . and names starting with .lectern are Lectern's",
      }));
      continue;
    }
    // A deck file that is a link out of its folder would publish whatever it points at.
    const real = realDeckFile(file);
    if (real !== null) {
      errors.push(new DeckError('SOURCE_OUTSIDE', `${display(projectDir, file)} is a link to ${real}, outside its folder`, {
        pos: { file: display(projectDir, file), line: 1, column: 1 },
        hint: 'copy the deck into the folder instead of linking to it',
      }));
      continue;
    }
    // An interrupt must be heard between decks, however many there are.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw new DeckError('INTERRUPTED', 'interrupted; the previous output is unchanged');
    try {
      const ctx = { projectDir, outDir, configDeckLayer, locateConfig, flags: options.flags ?? {}, templates, revealDir, pdf: options.pdf !== false, remote };
      let deck = prepareDeck(file, ctx);
      if (deck.pending.length > 0) {
        // Remote images are fetched once into the project's cache, then the deck is read again.
        await downloadRemote(remote, deck.pending, options.signal);
        deck = prepareDeck(file, ctx);
      }
      prepared.push({ built: deck.built, output: deck.output });
    } catch (err) {
      for (const one of err instanceof DeckErrors ? err.errors : [err]) errors.push(withPosition(toDeckError(one), { file: display(projectDir, file) }));
    }
  }
  const names = new Map<string, string>();
  for (const { built } of prepared) {
    const other = names.get(built.deck.name);
    if (other) {
      errors.push(new DeckError('DECK_NAME_CLASH', `two decks would be written to ${built.deck.name}/: ${other} and ${built.deck.file}`, {
        pos: { file: built.deck.file },
        hint: 'rename one of the deck files',
      }));
    }
    names.set(built.deck.name, built.deck.file);
  }
  // Nothing the run reads may be in the way of what it writes.
  const sources = [
    ...prepared.flatMap(({ built }) => [
      { dir: dirname(built.sources.file), what: `the folder of ${built.deck.file}` },
      ...built.sources.templateDirs.map((dir) => ({ dir, what: 'a template folder' })),
    ]),
    ...(existsSync(resolve(projectDir, decksDir)) ? [{ dir: resolve(projectDir, decksDir), what: 'the decks folder' }] : []),
  ];
  try {
    if (options.writes !== false) assertOutputApart(outDir, sources, { configured: options.outDir === undefined, projectDir, shown: (path) => display(projectDir, path) });
  } catch (err) {
    errors.unshift(err as DeckError);
  }
  // A broken template fails every deck that uses it: say so once.
  const unique = errors.filter((e, i) => errors.findIndex((o) => o.code === e.code && o.message === e.message && JSON.stringify(o.pos) === JSON.stringify(e.pos)) === i);
  return { outDir, prepared, errors: unique };
}


/** Where a deck file that links out of its own folder leads, or null when it stays inside. */
function realDeckFile(file: string): string | null {
  try {
    const real = realpathSync(file);
    const folder = realpathSync(dirname(file));
    return real.startsWith(folder + sep) ? null : real;
  } catch {
    return null;
  }
}
