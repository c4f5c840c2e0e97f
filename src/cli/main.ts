import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { DeckError, DeckErrors, ExitCode, formatDiagnostic, toDeckError, type SourcePos, type Warning } from '../errors.js';
import { buildAll } from '../pipeline.js';
import type { DeckLayer } from '../config/schema.js';

/** What the CLI may touch of the process, passed in so tests run it in-process. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  signal?: AbortSignal;
}

const HELP = `lectern — Markdown outlines to offline Reveal.js decks

Usage:
  lectern build [files or folders…] [options]   build decks (default: decks/ into dist/)
  lectern --help | --version

Build options:
  -o, --out <dir>        output folder (default: dist, or "out" in lectern.config.yaml)
  -t, --template <name>  template for every deck (overrides front matter)
      --unsafe-html      let raw HTML through unsanitised (trusted decks only)
  -q, --quiet            print errors only
      --debug            print stack traces

Exit codes: 0 ok, 1 content error, 2 usage or config error, 3 environment,
4 render failure, 5 output I/O, 130 interrupted.
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the command line and returns the exit status. Never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${version()}\n`);
      return ExitCode.ok;
    }
    if (command !== 'build') {
      throw new DeckError('USAGE', `unknown command "${command}"`, { hint: 'run `lectern --help` for the commands' });
    }
    const args = parseBuildArgs(rest);
    debug = args.debug;
    if (args.help) {
      io.stdout(HELP);
      return ExitCode.ok;
    }
    const started = performance.now();
    const result = await buildAll({ projectDir: io.cwd, inputs: args.inputs, outDir: args.out, flags: args.flags, signal: io.signal });
    if (!args.quiet) {
      reportWarnings(result.warnings, io);
      for (const built of result.decks) {
        io.stdout(`built ${built.deck.file} -> ${relativeOut(io.cwd, built.dir)}/index.html (${built.deck.slideCount} slides)\n`);
      }
      const ms = Math.round(performance.now() - started);
      io.stdout(`${result.decks.length} deck${result.decks.length === 1 ? '' : 's'} in ${ms} ms, ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}\n`);
    }
    return ExitCode.ok;
  } catch (err) {
    return reportFailure(err, io, debug);
  }
}

interface BuildArgs {
  inputs: string[];
  out?: string;
  flags: DeckLayer;
  quiet: boolean;
  debug: boolean;
  help: boolean;
}

function parseBuildArgs(argv: string[]): BuildArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        template: { type: 'string', short: 't' },
        'unsafe-html': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    throw new DeckError('USAGE', unknown ? `unknown option "${unknown}"` : message.split('. ')[0]!, {
      hint: 'run `lectern --help` for the options',
    });
  }
  const { values, positionals } = parsed;
  const flags: DeckLayer = {};
  if (values.template) flags.template = values.template;
  if (values['unsafe-html']) flags.html = 'unsafe';
  return {
    inputs: positionals,
    ...(values.out ? { out: values.out } : {}),
    flags,
    quiet: values.quiet ?? false,
    debug: values.debug ?? false,
    help: values.help ?? false,
  };
}

function reportWarnings(warnings: Warning[], io: CliIo): void {
  for (const w of warnings) io.stderr(`${formatDiagnostic('warning', w.code, w.message, shortPos(w.pos, io.cwd), w.hint)}\n`);
}

function reportFailure(err: unknown, io: CliIo, debug: boolean): number {
  const errors = err instanceof DeckErrors ? err.errors : [toDeckError(err)];
  for (const e of errors) {
    io.stderr(`${formatDiagnostic('error', e.code, e.message, shortPos(e.pos, io.cwd), e.hint)}\n`);
    if (debug) io.stderr(`${chain(e)}\n`);
  }
  if (errors.length > 1) io.stderr(`${errors.length} errors; nothing was written\n`);
  return err instanceof DeckErrors ? err.exitCode : errors[0]!.exitCode;
}

/** The stack of an error and of each cause below it. */
function chain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error) {
    parts.push(current.stack ?? current.message);
    current = current.cause;
  }
  return parts.join('\ncaused by: ');
}

/** Paths inside the working folder are shown relative to it, as editors and terminals link them. */
function shortPos(pos: SourcePos | undefined, cwd: string): SourcePos | undefined {
  if (!pos || !isAbsolute(pos.file)) return pos;
  const rel = relative(cwd, pos.file);
  return rel.startsWith('..') || isAbsolute(rel) ? pos : { ...pos, file: rel.split(sep).join('/') };
}

function relativeOut(cwd: string, dir: string): string {
  return dir.startsWith(cwd + '/') ? dir.slice(cwd.length + 1) : dir;
}
