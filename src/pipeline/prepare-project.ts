import type { PdfKind } from '../deck-layout.js';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { assertOutputApart, reservedDeckName } from '../output/ownership.js';
import { remoteCache } from '../assets/remote-cache.js';
import { downloadRemote } from '../output/download.js';
import type { DeckLayer } from '../config/schema.js';
import { DeckError, DeckErrors, toDeckError, interrupted } from '../errors.js';
import { findDeckFiles } from '../outline/find-decks.js';
import { shownPath } from '../shown.js';
import type { CompiledTemplate } from '../render/compile-template.js';
import type { PreparedDeck } from './prepare-deck.js';
import { diagramCache } from '../assets/diagram-cache.js';
import type { DiagramJob, Drawn } from '../browser/diagrams.js';
import { mermaidPackage } from '../browser/mermaid-package.js';

/** What a run reads: the project, the decks asked for, and the options that shape them. */
interface ProjectInput {
  projectDir: string;
  inputs?: string[];
  outDir?: string;
  flags?: DeckLayer;
  /** The kind of PDF the decks get, if any (their summaries name it then). */
  pdf: PdfKind | false;
  /** What else decides the built files (Lectern's version, the PDF's options), for the build digest. */
  buildTag?: string;
  /** Only the decks of shard `index` (1-based) of `count`, by a stable hash of their path. */
  shard?: { index: number; count: number };
  /** Compiled templates to reuse; the caller clears the map when a template's files change. */
  templates?: Map<string, CompiledTemplate>;
  signal?: AbortSignal;
  /** False for runs that write nothing (check): the output folder is not looked at. */
  writes?: boolean;
  /**
   * Draws diagrams no earlier build drew, all of the run's at once (null: no browser to draw
   * with); the decks that have them are then prepared again.
   */
  drawDiagrams?: (jobs: DiagramJob[]) => Promise<Drawn[] | null>;
  /** Pages for an audience: no speaker notes in them (`lectern present`). */
  withoutNotes?: boolean;
}

/** Every deck of a run through every stage up to the files to write; nothing is written. */
export async function prepareProject(
  options: ProjectInput,
): Promise<{ outDir: string; prepared: PreparedDeck[]; errors: DeckError[] }> {
  // The build stages load here, after the browser has started launching: their start-up
  // overlaps with the browser's.
  const [{ loadProjectConfig }, { projectDefaults }, { findReveal, prepareDeck, withPosition }] = await Promise.all([
    import('../config/load-config.js'),
    import('../config/schema.js'),
    import('./prepare-deck.js'),
  ]);
  const projectDir = resolve(options.projectDir);
  const { config, locate: locateConfig } = loadProjectConfig(projectDir);
  const {
    decks: decksDir = projectDefaults.decks,
    out = projectDefaults.out,
    browserWs: _ws,
    formats: _formats,
    remoteHosts,
    ...configDeckLayer
  } = config;
  const outDir = resolve(projectDir, options.outDir ?? out);
  const allFiles = findDeckFiles(projectDir, options.inputs?.length ? options.inputs : [decksDir]);
  // A shard is chosen by the deck's path from the project, the same wherever it is checked out.
  const shardKey = (file: string): string => relative(projectDir, file).split(sep).join('/');
  const files = allFiles.filter(
    (file) => !options.shard || shardOf(shardKey(file), options.shard.count) === options.shard.index,
  );
  // Two decks that would share a folder clash even when different shards would build them.
  const clashes: DeckError[] = [];
  if (options.shard) {
    const byName = new Map<string, string>();
    for (const file of allFiles) {
      const name = basename(file, extname(file));
      const other = byName.get(name);
      if (other && (files.includes(file) || files.includes(other))) {
        clashes.push(
          new DeckError(
            'DECK_NAME_CLASH',
            `two decks would be written to ${name}/: ${shownPath(other, projectDir)} and ${shownPath(file, projectDir)}`,
            {
              pos: { file: shownPath(file, projectDir) },
              hint: 'rename one of the deck files (shards of one build share one output)',
            },
          ),
        );
      }
      byName.set(name, file);
    }
  }
  const templates = options.templates ?? new Map<string, CompiledTemplate>();
  const revealDir = findReveal();
  const remote = remoteCache(projectDir, options.writes !== false, remoteHosts);
  const diagrams = diagramCache(projectDir, `mermaid ${mermaidPackage().version}`, options.writes !== false);
  const undrawn = new Map<string, { index: number; jobs: DiagramJob[]; ctx: Parameters<typeof prepareDeck>[1] }>();

  const prepared: PreparedDeck[] = [];
  const errors: DeckError[] = [...clashes];
  // An error of no deck's own making (`--template nope`, a config value) would be the same for
  // every deck: it is said once, at the first deck it stopped.
  const said = new Set<string>();
  const report = (err: DeckError, file: string): void => {
    const at = err.pos ? `${err.pos.file}:${err.pos.line}:${err.pos.column}` : '';
    const key = `${err.code}|${err.message}|${at}`;
    const ownDeck = err.pos?.file === shownPath(file, projectDir);
    if (!ownDeck && said.has(key)) return;
    said.add(key);
    errors.push(withPosition(err, { file: shownPath(file, projectDir) }));
  };
  for (const file of files) {
    const name = basename(file, extname(file));
    if (reservedDeckName(name)) {
      errors.push(
        new DeckError(
          'DECK_NAME_RESERVED',
          `a deck named "${name}" would be written over Lectern's own ${name === '.' || name === '..' ? 'output folder' : 'files'}`,
          {
            pos: { file: shownPath(file, projectDir), line: 1, column: 1 },
            hint: "rename the deck file: index.html, . and names starting with .lectern are Lectern's",
          },
        ),
      );
      continue;
    }
    // A deck file that is a link out of its folder would publish whatever it points at.
    const real = realDeckFile(file);
    if (real !== null) {
      errors.push(
        new DeckError('SOURCE_OUTSIDE', `${shownPath(file, projectDir)} is a link to ${real}, outside its folder`, {
          pos: { file: shownPath(file, projectDir), line: 1, column: 1 },
          hint: 'copy the deck into the folder instead of linking to it',
        }),
      );
      continue;
    }
    // An interrupt must be heard between decks, however many there are.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw interrupted();
    try {
      const ctx = {
        projectDir,
        outDir,
        configDeckLayer,
        locateConfig,
        flags: options.flags ?? {},
        templates,
        revealDir,
        pdf: options.pdf,
        buildTag: options.buildTag ?? '',
        remote,
        diagrams,
        ...(options.withoutNotes ? { withoutNotes: true } : {}),
      };
      let deck = prepareDeck(file, ctx);
      if (deck.pending.length > 0) {
        // Remote images are fetched once into the project's cache, then the deck is read again.
        await downloadRemote(remote, deck.pending, options.signal);
        deck = prepareDeck(file, ctx);
      }
      if (deck.diagrams.length) undrawn.set(file, { index: prepared.length, jobs: deck.diagrams, ctx });
      prepared.push(deck.prepared);
    } catch (err) {
      for (const one of err instanceof DeckErrors ? err.errors : [err]) report(toDeckError(one), file);
    }
  }
  // Diagrams no earlier build drew: all of the run's in one page, then their decks again.
  if (undrawn.size && options.drawDiagrams) {
    const jobs = [
      ...new Map([...undrawn.values()].flatMap((d) => d.jobs).map((j) => [`${j.theme}\0${j.code}`, j])).values(),
    ];
    const drawn = await options.drawDiagrams(jobs);
    if (drawn) {
      for (const [i, job] of jobs.entries()) diagrams.store(job.code, job.theme, drawn[i]!);
      for (const [file, { index, ctx }] of undrawn) {
        try {
          prepared[index] = prepareDeck(file, ctx).prepared;
        } catch (err) {
          for (const one of err instanceof DeckErrors ? err.errors : [err]) report(toDeckError(one), file);
        }
      }
    }
  }
  const names = new Map<string, string>();
  for (const one of prepared) {
    const other = names.get(one.deck.name);
    if (other) {
      errors.push(
        new DeckError(
          'DECK_NAME_CLASH',
          `two decks would be written to ${one.deck.name}/: ${other} and ${one.deck.file}`,
          {
            pos: { file: one.deck.file },
            hint: 'rename one of the deck files',
          },
        ),
      );
    }
    names.set(one.deck.name, one.deck.file);
  }
  // Nothing the run reads may be in the way of what it writes.
  const sources = [
    ...prepared.flatMap((one) => [
      { dir: dirname(one.sources.file), what: `the folder of ${one.deck.file}` },
      ...one.sources.templateDirs.map((dir) => ({ dir, what: 'a template folder' })),
    ]),
    ...(existsSync(resolve(projectDir, decksDir))
      ? [{ dir: resolve(projectDir, decksDir), what: 'the decks folder' }]
      : []),
  ];
  try {
    if (options.writes !== false)
      assertOutputApart(outDir, sources, {
        configured: options.outDir === undefined,
        projectDir,
        shown: (path) => shownPath(path, projectDir),
      });
  } catch (err) {
    errors.unshift(err as DeckError);
  }
  // A broken template fails every deck that uses it: say so once.
  const unique = errors.filter(
    (e, i) =>
      errors.findIndex(
        (o) => o.code === e.code && o.message === e.message && JSON.stringify(o.pos) === JSON.stringify(e.pos),
      ) === i,
  );
  return { outDir, prepared, errors: unique };
}

/**
 * The shard (1 to `count`) a deck belongs to: a hash of its path in the project, so every
 * machine that runs shard K of N takes the same decks, and the N shards take each deck once.
 */
export function shardOf(deckPath: string, count: number): number {
  return (createHash('sha256').update(deckPath).digest().readUInt32BE(0) % count) + 1;
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
