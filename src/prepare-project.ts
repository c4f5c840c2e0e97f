import { resolve } from 'node:path';
import type { DeckLayer } from './config/schema.js';
import { DeckError, toDeckError } from './errors.js';
import type { PdfOptions } from './export/export-pdfs.js';
import { findDeckFiles } from './outline/find-decks.js';
import type { DeckOutput } from './output/write.js';
import type { BuiltDeck } from './prepare-deck.js';
import type { CompiledTemplate } from './render/render-deck.js';

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
}

/** Every deck of a run through every stage up to the files to write; nothing is written. */
export async function prepareProject(options: ProjectInput): Promise<{ outDir: string; prepared: PreparedDeck[]; errors: DeckError[] }> {
  // The build stages load here, after the browser has started launching: their start-up
  // overlaps with the browser's.
  const [{ loadProjectConfig }, { projectDefaults }, { display, findReveal, prepareDeck, withPosition }] = await Promise.all([
    import('./config/load-config.js'),
    import('./config/schema.js'),
    import('./prepare-deck.js'),
  ]);
  const projectDir = resolve(options.projectDir);
  const { config, locate: locateConfig } = loadProjectConfig(projectDir);
  const { decks: decksDir = projectDefaults.decks, out = projectDefaults.out, ...configDeckLayer } = config;
  const outDir = resolve(projectDir, options.outDir ?? out);
  const files = findDeckFiles(projectDir, options.inputs?.length ? options.inputs : [decksDir]);
  const templates = options.preview?.templates ?? new Map<string, CompiledTemplate>();
  const revealDir = findReveal();

  const prepared: PreparedDeck[] = [];
  const errors: DeckError[] = [];
  for (const file of files) {
    try {
      prepared.push(
        prepareDeck(file, { projectDir, outDir, configDeckLayer, locateConfig, flags: options.flags ?? {}, templates, revealDir, pdf: options.pdf !== false }),
      );
    } catch (err) {
      errors.push(withPosition(toDeckError(err), { file: display(projectDir, file) }));
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
  // A broken template fails every deck that uses it: say so once.
  const unique = errors.filter((e, i) => errors.findIndex((o) => o.code === e.code && o.message === e.message && JSON.stringify(o.pos) === JSON.stringify(e.pos)) === i);
  return { outDir, prepared, errors: unique };
}

