import { formatBytes, shownPath } from '../shown.js';
import { phaseTimes, recordTimings } from '../timings.js';
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import type { ProjectConfigLayer } from '../config/schema.js';
import { ExitCode } from '../errors.js';
import { dialectName } from '../outline/dialects/detect.js';
import type { PdfOptions, PdfResult } from '../pdf/export.js';
import type { PngOptions, PngResult } from '../png/export.js';
import type { WrittenSingleFile } from '../pipeline/export-single.js';
import type { PptxResult } from '../pptx/export.js';
import { checkAll } from '../pipeline/check.js';
import { buildAll, buildIndex, type BuildResult, lecternVersion } from '../pipeline/build.js';
import { exportBuiltDeck } from '../pipeline/export-built.js';
import { HELP, parseCliArgs, type CliArgs } from './args.js';
import { reportCheck } from './check-report.js';
import { errorsJson, pdfLine, pdfProgress, reportFailure, reportWarnings, terminalSafe, type CliIo } from './report.js';

export type { CliIo } from './report.js';

/** What each command does, by its name. */
const commands: Record<
  Exclude<CliArgs['command'], 'help' | 'version'>,
  (args: CliArgs, io: CliIo) => Promise<number>
> = {
  doctor: (args, io) => doctor(args, io),
  templates: (_args, io) => templates(io),
  new: (args, io) => scaffold(args, io),
  serve: (args, io) => serve(args, io),
  present: (args, io) => present(args, io),
  pdf: (args, io) => pdf(args, io),
  png: (args, io) => png(args, io),
  pptx: (args, io) => pptx(args, io),
  build: (args, io) => build(args, io),
  check: (args, io) => check(args, io),
  index: (args, io) => index(args, io),
};

/** Runs the command line and returns the exit status. Never calls process.exit itself. */
export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  // Names, titles and messages come from files anyone may have written: nothing they hold
  // drives the terminal.
  const terminalIo: CliIo = {
    ...rawIo,
    stdout: (text) => rawIo.stdout(terminalSafe(text)),
    stderr: (text) => rawIo.stderr(terminalSafe(text)),
  };
  let debug = argv.includes('--debug');
  let io = terminalIo;
  try {
    let args = parseCliArgs(argv);
    debug = args.debug;
    if (!['help', 'version', 'doctor'].includes(args.command)) ({ args, io } = await inProject(args, terminalIo));
    switch (args.command) {
      case 'help':
        io.stdout(HELP);
        return argv.length === 0 ? ExitCode.usage : ExitCode.ok;
      case 'version':
        io.stdout(`${lecternVersion()}\n`);
        return ExitCode.ok;
      default: {
        recordTimings(args.timings ?? false);
        const started = performance.now();
        try {
          return await commands[args.command](args, io);
        } finally {
          if (args.timings)
            io.stderr(
              `lectern: timings (ms): ${JSON.stringify({ total: Math.round(performance.now() - started), ...phaseTimes() })}\n`,
            );
        }
      }
    }
  } catch (err) {
    if (argv.includes('--json')) io.stdout(`${JSON.stringify({ decks: [], errors: errorsJson(err, io) }, null, 2)}\n`);
    return reportFailure(err, io, debug);
  }
}

/**
 * A command run from inside a project (from its decks/ folder, say) works on the project: the
 * nearest folder above with a config file or a decks/ folder is where the config, the decks, the
 * templates and the output are found, and the run says so. Files named on the command line are
 * found where the shell is (as it completed them), else in the project; `--out` is the
 * project's, as `out:` in its config is. The same command gives the same answer from any folder.
 */
async function inProject(args: CliArgs, io: CliIo): Promise<{ args: CliArgs; io: CliIo }> {
  const { findProjectRoot } = await import('../config/load-config.js');
  const found = findProjectRoot(io.cwd);
  if (!found || found.dir === resolve(io.cwd)) return { args, io };
  if (!args.quiet && !args.json)
    io.stderr(`lectern: using the project in ${relative(io.cwd, found.dir)} (${found.reason})\n`);
  const inputs =
    args.command === 'new'
      ? args.inputs
      : args.inputs.map((input) =>
          existsSync(resolve(io.cwd, input)) ? resolve(io.cwd, input) : resolve(found.dir, input),
        );
  return { args: { ...args, inputs }, io: { ...io, cwd: found.dir } };
}

/** The project's config file, read once for a command (the build reads it again for itself). */
async function projectConfig(io: CliIo): Promise<ProjectConfigLayer> {
  const { loadProjectConfig } = await import('../config/load-config.js');
  return loadProjectConfig(io.cwd).config;
}

/**
 * What every run over decks takes from the command line and the config: the project, the decks,
 * the flags, the browser, and what a build makes (`formats:`; --no-pdf still has the last word).
 */
async function runOf(args: CliArgs, io: CliIo) {
  const config = await projectConfig(io);
  const browser = args.browser ? browserOf(args.browser, io, config) : undefined;
  const { formats } = config;
  // A browser format of `formats:` is made unless --no-pdf (HTML only) is given.
  const made = (format: NonNullable<typeof formats>[number]): boolean =>
    Boolean(formats?.includes(format)) && args.pdf !== false;
  const png: PngOptions | false = made('png') ? { scale: 1, fragments: false } : false;
  const pdf = pdfOf(args, config);
  return {
    run: {
      projectDir: io.cwd,
      inputs: args.inputs,
      outDir: args.out,
      flags: args.flags,
      ...(browser ? { browser } : {}),
      // The talk's drawing lives outside the deck: a PDF with it is printed afresh every time.
      ...(args.force || (pdf && pdf.annotations === true) ? { force: true } : {}),
      signal: io.signal,
    },
    pdf,
    png,
    pptx: args.pptxPictures ? ('pictures' as const) : made('pptx'),
    singleFile: Boolean(args.singleFile) || made('single-file'),
  };
}

/**
 * What a run prints: the flags' PDF, with the config's handout (`formats: [handout]`, `handout:`,
 * `paper:`) unless the flags say otherwise. A handout is printed from the deck's PDF run, so it
 * asks for one even when `formats:` lists no `pdf`.
 */
function pdfOf(args: CliArgs, config: ProjectConfigLayer): PdfOptions | false {
  if (args.pdf === false) return false;
  const handout =
    args.pdf.handout ?? (config.formats?.includes('handout') || config.handout ? (config.handout ?? 3) : undefined);
  // `lectern pdf` prints whatever `formats:` says; a build prints no PDF that `formats:` leaves out.
  if (
    args.command === 'build' &&
    config.formats &&
    !config.formats.some((f) => ['pdf', 'pdf-notes', 'pdf-fragments'].includes(f)) &&
    !handout
  )
    return false;
  const paper = args.pdf.paper ?? config.paper;
  // Formats add up: the flags' PDF and each one `formats:` lists, every one beside the deck's own.
  const beside = [
    ...(args.pdf.notes || args.pdf.fragments
      ? [{ notes: Boolean(args.pdf.notes), fragments: Boolean(args.pdf.fragments) }]
      : []),
    ...(config.formats?.includes('pdf-notes') ? [{ notes: true, fragments: false }] : []),
    ...(config.formats?.includes('pdf-fragments') ? [{ notes: false, fragments: true }] : []),
  ];
  return {
    ...args.pdf,
    ...(beside.length ? { beside } : {}),
    ...(handout ? { handout } : {}),
    ...(handout && paper ? { paper } : {}),
  };
}

/**
 * The browser of a run: `--browser-ws` or `--browser-path` as given, else `LECTERN_BROWSER_WS`,
 * else the config's `browserWs`, else one found on this machine.
 */
function browserOf(browser: BrowserOptions, io: CliIo, config: ProjectConfigLayer): BrowserOptions {
  if (browser.browserWs || browser.browserPath) return browser;
  const fromEnv = io.env?.LECTERN_BROWSER_WS;
  if (fromEnv) return { ...browser, browserWs: fromEnv };
  return config.browserWs ? { ...browser, browserWs: config.browserWs } : browser;
}

async function build(args: CliArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const { run, pdf, png, pptx, singleFile } = await runOf(args, io);
  const result = await buildAll({
    ...run,
    pdf,
    png,
    pptx,
    singleFile,
    check: args.check ?? false,
    ...(args.strict ? { strict: true } : {}),
    ...(args.shard ? { shard: args.shard } : {}),
    signal: io.signal,
    progress: pdfProgress(io, args.quiet || args.json, true),
    onLockWait: (pid) =>
      io.stderr(`lectern: waiting for another Lectern (pid ${pid}) to finish writing the output folder\n`),
  });
  finish(result, args, io, started);
  // Warnings from the export (the decks' own stopped the build before anything was written).
  if (args.strict && result.warnings.length > 0) {
    io.stderr(
      `lectern: error: ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} with --strict\n`,
    );
    return ExitCode.content;
  }
  return ExitCode.ok;
}

async function check(args: CliArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const { run } = await runOf(args, io);
  const decks = await checkAll({ ...run, browser: args.browser ? run.browser : false });
  return reportCheck(
    decks,
    { strict: args.strict ?? false, json: args.json, quiet: args.quiet, ms: performance.now() - started },
    io,
  );
}

async function pdf(args: CliArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const target = resolve(io.cwd, args.inputs[0]!);
  const progress = pdfProgress(io, args.quiet || args.json);
  if (existsSync(target) && statSync(target).isDirectory()) {
    const config = await projectConfig(io);
    const result = await exportBuiltDeck(target, {
      projectDir: io.cwd,
      browser: browserOf(args.browser || {}, io, config),
      pdf: pdfOf(args, config) || {},
      signal: io.signal,
      progress,
    });
    reportWarnings(result.warnings, io);
    if (args.json) io.stdout(`${JSON.stringify({ decks: [pdfJson(result, io)] }, null, 2)}\n`);
    else if (!args.quiet) io.stdout(`1 PDF in ${Math.round(performance.now() - started)} ms\n`);
    return ExitCode.ok;
  }
  const { run, pdf: printed } = await runOf(args, io);
  const result = await buildAll({
    ...run,
    pdf: printed,
    progress: pdfProgress(io, args.quiet || args.json, true),
  });
  finish(result, args, io, started);
  return ExitCode.ok;
}

function finish(result: BuildResult, args: CliArgs, io: CliIo, started: number): void {
  reportWarnings(result.warnings, io);
  if (args.json) {
    const decks = result.decks.map((built) => {
      const pdf = result.pdfs.find((p) => p.name === built.deck.name);
      return {
        name: built.deck.name,
        file: built.deck.file,
        html: shownPath(`${built.dir}/index.html`, io.cwd),
        slides: built.deck.slideCount,
        ...(built.deck.dialect
          ? { dialect: dialectName(built.deck.dialect), dialectReason: built.deck.dialect.reason }
          : {}),
        ...(pdf ? pdfJson(pdf, io) : {}),
        ...(result.skipped.includes(built.deck.name) ? { unchanged: true } : {}),
        ...removedOf(result, built.dir, io),
        ...pngJson(
          result.pngs.find((p) => p.name === built.deck.name),
          io,
        ),
        ...pptxJson(
          result.pptxs.find((p) => p.name === built.deck.name),
          io,
        ),
        ...singleFileJson(
          result.singleFiles.find((p) => p.name === built.deck.name),
          io,
        ),
        warnings: [...built.findings, ...(pdf?.warnings ?? [])].map((w) => ({
          ...w,
          pos: { ...w.pos, file: shownPath(w.pos.file, io.cwd) },
        })),
      };
    });
    io.stdout(`${JSON.stringify({ decks, errors: [] }, null, 2)}\n`);
    return;
  }
  if (args.quiet) return;
  for (const built of result.decks) {
    const verb = result.skipped.includes(built.deck.name) ? 'unchanged' : 'built';
    io.stdout(
      `${verb} ${built.deck.file} -> ${shownPath(built.dir, io.cwd)}/index.html (${built.deck.slideCount} slide${built.deck.slideCount === 1 ? '' : 's'})\n`,
    );
    const d = built.deck.dialect;
    if (args.verbose && d) io.stdout(`  read as ${dialectName(d)}: ${d.reason}\n`);
    // Piped output: the deck's PDFs after the deck (a terminal showed them on the progress bar).
    if (!io.isTTY) for (const p of result.pdfs.filter((p) => p.name === built.deck.name)) io.stdout(pdfLine(p, io));
    const pptxFile = result.pptxs.find((f) => f.name === built.deck.name);
    if (pptxFile) io.stdout(`  pptx -> ${shownPath(pptxFile.path, io.cwd)} (${pptxLine(pptxFile)})\n`);
    const single = result.singleFiles.find((f) => f.name === built.deck.name);
    if (single) io.stdout(`  one file -> ${shownPath(single.path, io.cwd)} (${formatBytes(single.bytes)})\n`);
    const gone = removedOf(result, built.dir, io).removed;
    // Never silently: what went, and why.
    if (gone) io.stdout(`  removed ${gone.join(', ')}: made from the deck before this change\n`);
  }
  const ms = Math.round(performance.now() - started);
  const n = result.decks.length;
  const pdfs = result.pdfs.length ? `, ${result.pdfs.length} PDF${result.pdfs.length === 1 ? '' : 's'}` : '';
  const pictures = result.pngs.reduce((n, r) => n + r.files.length, 0);
  const pngs = result.pngs.length ? `, ${pictures} slide picture${pictures === 1 ? '' : 's'}` : '';
  const singles = result.singleFiles.length
    ? `, ${result.singleFiles.length} single-file deck${result.singleFiles.length === 1 ? '' : 's'}`
    : '';
  const pptxs = result.pptxs.length
    ? `, ${result.pptxs.length} PowerPoint file${result.pptxs.length === 1 ? '' : 's'}`
    : '';
  const skipped = result.skipped.length ? ` (${result.skipped.length} unchanged, skipped; --force builds them)` : '';
  io.stdout(
    `${n} deck${n === 1 ? '' : 's'}${skipped}${pdfs}${pngs}${pptxs}${singles} in ${ms} ms, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}\n`,
  );
}

/** The out-of-date PDFs and thumbnail the build removed from a deck's folder, as shown paths. */
function removedOf(result: BuildResult, dir: string, io: CliIo): { removed?: string[] } {
  const gone = result.removed.filter((path) => path.startsWith(`${dir}/`)).map((path) => shownPath(path, io.cwd));
  return gone.length ? { removed: gone } : {};
}

function pngJson(png: PngResult | undefined, io: CliIo): Record<string, unknown> {
  return png
    ? { slidesDir: shownPath(png.dir, io.cwd), pictures: png.files.length, pictureSize: [png.width, png.height] }
    : {};
}

function singleFileJson(single: WrittenSingleFile | undefined, io: CliIo): Record<string, unknown> {
  return single ? { singleFile: shownPath(single.path, io.cwd), singleFileBytes: single.bytes } : {};
}

function pdfJson(pdf: PdfResult, io: CliIo): Record<string, unknown> {
  const { handout } = pdf;
  return {
    pdf: shownPath(pdf.path, io.cwd),
    pages: pdf.pages,
    bytes: pdf.bytes,
    ms: Math.round(pdf.ms),
    ...(handout
      ? {
          handout: {
            path: shownPath(handout.path, io.cwd),
            pages: handout.pages,
            bytes: handout.bytes,
            slidesPerPage: handout.perPage,
            paper: handout.paper,
          },
        }
      : {}),
  };
}

async function serve(args: CliArgs, io: CliIo): Promise<number> {
  const { serveDecks } = await import('../serve/serve.js');
  const host = args.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    io.stderr(`lectern: warning: serving on ${host}: other machines on the network can reach this server\n`);
  }
  const session = await serveDecks({
    projectDir: io.cwd,
    inputs: args.inputs,
    host,
    port: args.port ?? 8000,
    log: (line) => io.stdout(`${line}\n`),
    problem: (text) => io.stderr(`${text}\n`),
  });
  io.stdout(`serving ${session.url} (Ctrl-C to stop)\n`);
  if (args.open) openInBrowser(session.url);
  await untilInterrupted(io);
  await session.close();
  io.stdout('stopped\n');
  return ExitCode.interrupted;
}

async function present(args: CliArgs, io: CliIo): Promise<number> {
  const { presentDeck } = await import('../present/present.js');
  const session = await presentDeck({
    projectDir: io.cwd,
    deck: args.inputs[0]!,
    ...(args.lan !== undefined ? { lan: args.lan } : {}),
    port: args.port ?? 8000,
    warn: (findings) => reportWarnings(findings, io),
  });
  const { urls } = session;
  io.stdout(
    [
      `presenter  ${urls.presenter}  (this laptop: current and next slide, notes, timer, pens)`,
      `audience   ${urls.audience}  (the projector and the room's phones: follows the talk, no notes)`,
      `remote     ${urls.remote}  (your phone: next, back, blank, notes, timer)`,
      `drawing kept in ${shownPath(session.inkFile, io.cwd)}`,
      args.lan === undefined
        ? 'only this computer can open these addresses: add --lan to let phones in the room join'
        : `listening on ${session.host}, on the room's network: the addresses are the keys, keep the presenter's and the remote's to yourself`,
      '',
    ].join('\n'),
  );
  if (args.lan !== undefined) io.stdout(`the remote, for your phone's camera:\n${session.remoteQr}`);
  io.stdout('Ctrl-C ends the talk\n');
  if (args.open) openInBrowser(urls.presenter);
  await untilInterrupted(io);
  await session.close();
  io.stdout('the talk is over\n');
  return ExitCode.interrupted;
}

/** Resolves when the run is interrupted (Ctrl-C): the end of a server's session. */
function untilInterrupted(io: CliIo): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Best effort: the platform's opener, detached; a failure only means no window. */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  import('node:child_process')
    .then(({ spawn }) =>
      spawn(cmd as string, args as string[], { detached: true, stdio: 'ignore' })
        .on('error', () => undefined)
        .unref(),
    )
    .catch(() => undefined);
}

async function templates(io: CliIo): Promise<number> {
  const { listTemplates, readTemplateLayer } = await import('../render/load-template.js');
  const rows = listTemplates({ projectDir: io.cwd }).map((found) => {
    const layer = readTemplateLayer(found.dir, found.origin, found.name, io.cwd);
    return { ...found, description: layer.manifest.description, extends: layer.manifest.extends };
  });
  for (const row of rows) {
    io.stdout(
      `${row.name}${row.extends ? ` (extends ${row.extends})` : ''} [${row.origin}] ${shownPath(row.dir, io.cwd)}\n`,
    );
    if (row.description) io.stdout(`    ${row.description}\n`);
  }
  return ExitCode.ok;
}

async function scaffold(args: CliArgs, io: CliIo): Promise<number> {
  const { createDeck, createTemplate } = await import('../scaffold/scaffold.js');
  const [kind, name] = args.inputs as [string, string];
  if (kind === 'template') {
    const dir = createTemplate(io.cwd, name, args.from);
    if (!args.quiet)
      io.stdout(
        `created ${shownPath(dir, io.cwd)}/ extending ${args.from ?? 'default'}; use it with \`template: ${name}\`\n`,
      );
    return ExitCode.ok;
  }
  const file = createDeck(io.cwd, name);
  if (!args.quiet) io.stdout(`created ${shownPath(file, io.cwd)}\n`);
  return build({ ...args, inputs: [file] }, io);
}

/**
 * The decks an export after the build works on: built deck folders as they are, deck files (or
 * the project's decks) built first as `lectern build` builds them (the PDF too, unless the config
 * leaves it out, so the two keep each other's output; unchanged decks are kept).
 */
async function builtFolders(args: CliArgs, io: CliIo): Promise<{ folders: string[]; browser?: BrowserOptions }> {
  const isBuilt = (input: string): boolean => existsSync(resolve(io.cwd, input, 'deck.json'));
  const folders = args.inputs.filter(isBuilt).map((input) => resolve(io.cwd, input));
  const sources = args.inputs.filter((input) => !isBuilt(input));
  const { run, pdf } = await runOf(args, io);
  if (sources.length || args.inputs.length === 0) {
    const result = await buildAll({ ...run, inputs: sources, pdf });
    reportWarnings(result.warnings, io);
    folders.push(...result.decks.map((d) => d.dir));
  }
  return { folders, ...(run.browser ? { browser: run.browser } : {}) };
}

async function png(args: CliArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const { folders, browser } = await builtFolders(args, io);
  const { exportPngsOf } = await import('../pipeline/export-png.js');
  const results = await exportPngsOf(folders, {
    ...(browser ? { browser } : {}),
    ...(args.png ? { png: args.png } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onResult: (r) => {
      if (!args.quiet && !args.json)
        io.stdout(
          `png ${r.file} -> ${shownPath(r.dir, io.cwd)}/ (${r.files.length} picture${r.files.length === 1 ? '' : 's'}, ${r.width}×${r.height}, ${Math.round(r.ms)} ms)\n`,
        );
    },
  });
  reportWarnings(
    results.flatMap((r) => r.warnings),
    io,
  );
  if (args.json) {
    const decks = results.map((r) => ({
      name: r.name,
      file: r.file,
      dir: shownPath(r.dir, io.cwd),
      pictures: r.files.length,
      width: r.width,
      height: r.height,
      ms: Math.round(r.ms),
    }));
    io.stdout(`${JSON.stringify({ decks, errors: [] }, null, 2)}\n`);
  } else if (!args.quiet) {
    const n = results.reduce((sum, r) => sum + r.files.length, 0);
    io.stdout(
      `${n} picture${n === 1 ? '' : 's'} of ${results.length} deck${results.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms\n`,
    );
  }
  return ExitCode.ok;
}

async function pptx(args: CliArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const { folders, browser } = await builtFolders(args, io);
  const { exportPptxsOf } = await import('../pipeline/export-pptx.js');
  const results = await exportPptxsOf(folders, {
    ...(browser ? { browser } : {}),
    ...(args.pptxPictures ? { pictures: true } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onResult: (r) => {
      if (!args.quiet && !args.json) io.stdout(`pptx ${r.file} -> ${shownPath(r.path, io.cwd)} (${pptxLine(r)})\n`);
    },
  });
  reportWarnings(
    results.flatMap((r) => r.warnings),
    io,
  );
  if (args.json) {
    const decks = results.map((r) => ({ name: r.name, file: r.file, ...pptxJson(r, io) }));
    io.stdout(`${JSON.stringify({ decks, errors: [] }, null, 2)}\n`);
  } else if (!args.quiet) {
    io.stdout(
      `${results.length} PowerPoint file${results.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms\n`,
    );
  }
  return ExitCode.ok;
}

function pptxLine(r: PptxResult): string {
  const slides = `${r.slides} slide${r.slides === 1 ? '' : 's'}`;
  const what = r.shapes
    ? `${r.textSlides} with text, ${r.shapes.tables} table${r.shapes.tables === 1 ? '' : 's'}, ${r.shapes.pictures} picture${r.shapes.pictures === 1 ? '' : 's'}, ${r.shapes.drawn} drawn as pictures`
    : 'each one picture, not editable';
  return `${slides}, ${what}, ${formatBytes(r.bytes)}, ${Math.round(r.ms)} ms`;
}

function pptxJson(r: PptxResult | undefined, io: CliIo): Record<string, unknown> {
  return r
    ? {
        pptx: shownPath(r.path, io.cwd),
        pptxSlides: r.slides,
        pptxTextSlides: r.textSlides,
        pptxPictures: r.pictures,
        ...(r.shapes ? { pptxShapes: r.shapes } : {}),
        pptxBytes: r.bytes,
      }
    : {};
}

async function index(args: CliArgs, io: CliIo): Promise<number> {
  const { outDir, decks } = await buildIndex({ projectDir: io.cwd, outDir: args.out, signal: io.signal });
  if (!args.quiet)
    io.stdout(`index of ${decks} deck${decks === 1 ? '' : 's'} -> ${shownPath(outDir, io.cwd)}/index.html\n`);
  return ExitCode.ok;
}

async function doctor(args: CliArgs, io: CliIo): Promise<number> {
  const { runDoctor } = await import('./doctor.js');
  const checks = await runDoctor(io.cwd, args.browser ? args.browser.browserPath : undefined);
  for (const check of checks) {
    io.stdout(`${check.ok ? 'ok  ' : check.warn ? 'warn' : 'FAIL'} ${check.name}: ${check.detail}\n`);
    if (check.fix) io.stdout(`     fix: ${check.fix}\n`);
  }
  const failed = checks.filter((c) => !c.ok && !c.warn).length;
  const warned = checks.filter((c) => c.warn).map((c) => c.name.replace(/^fonts for /, ''));
  const fonts = warned.length ? `; no font here for ${warned.join(', ')}: decks in them show boxes` : '';
  io.stdout(
    failed
      ? `${failed} problem${failed === 1 ? '' : 's'} found${fonts}\n`
      : `everything Lectern needs is here${fonts}\n`,
  );
  return failed ? ExitCode.environment : ExitCode.ok;
}
