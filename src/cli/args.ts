import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { DeckLayer } from '../config/schema.js';
import { DeckError } from '../errors.js';
import { closest } from '../suggest.js';
import type { BrowserOptions } from '../browser/find.js';
import type { PdfOptions } from '../pdf/export.js';
import { handoutCounts, type HandoutSlides, type Paper } from '../pdf/handout.js';

export const HELP = `lectern — Markdown outlines to offline Reveal.js decks and PDFs

Usage:
  lectern build [files or folders…] [options]   build decks and their PDFs (default: decks/ into dist/)
  lectern pdf <deck.md | dist/<deck>> [options]  export one deck's PDF
  lectern png <decks or dist/<deck>…> [--scale 2] [--fragments]
                                                 a PNG of every slide, into <deck>/slides/
  lectern pptx <decks or dist/<deck>…> [--pptx-pictures]
                                                 a PowerPoint file, <deck>/<deck>.pptx: every word
                                                 text, native tables and pictures, notes, a layout
                                                 per Lectern layout (--pptx-pictures: each slide one
                                                 picture, exact but not editable)
  lectern check [files or folders…] [--strict]   find overflow, accessibility, link and content
                                                 problems (in the browser too); writes nothing
  lectern serve [deck or folder] [--port N] [--host H] [--open]
                                                 preview with live reload (127.0.0.1:8000)
  lectern present <deck.md> [--lan [address]] [--port N] [--open]
                                                 give the talk: presenter, audience and remote
                                                 views, each at its own secret address
  lectern index [--out <dir>]                    write the index page of an output folder
                                                 (after sharded builds)
  lectern templates                              list the templates decks can use
  lectern new deck <name> [build options]        write a starter deck into decks/ and build it
  lectern new template <name> [--from <name>]    create templates/<name> extending another
  lectern doctor [--browser-path <path>]         check the browser and the template fonts
  lectern --help | --version

Build options:
  -o, --out <dir>          output folder (default: dist, or "out" in lectern.config.yaml)
  -t, --template <name>    template for every deck (overrides front matter)
      --unsafe-html        let raw HTML through unsanitised (trusted decks only)
      --no-pdf             HTML only: no browser needed
      --check              run the browser checks too (content checks always run)
      --strict             exit 1 on warnings too (for CI)
      --force              build every deck, even those unchanged since their last build
                           (also with \`lectern pdf\`, \`png\` and \`pptx\`)
      --single-file        also each deck as one HTML file, dist/<deck>.html, that opens
                           offline with nothing beside it (fonts and images written in)
      --shard <k>/<n>      build only shard k of n (by a stable hash of each deck's path);
                           the index page is left to \`lectern index\`
      --dialect <name>     read decks as lectern, reveal-md, pandoc, quarto or marp
                           (default: detected from each file; --verbose says which)

Check options:
      --strict             exit 1 on warnings too, not only on errors
      --no-browser         content checks only: no browser needed

Browser options (PDF export and checks):
      --browser-path <p>   Chrome, Chromium or Edge to use (else CHROME_PATH,
                           PUPPETEER_EXECUTABLE_PATH, then the usual places)
      --browser-ws <url>   connect to a running browser instead of launching one
      --concurrency <n>    decks printed at once (default: number of CPUs)
      --timeout <seconds>  time limit per deck (default: 60)
      --allow-remote       let the deck load http(s) resources while printing
      --pdf-notes          speaker notes on their own page after each slide
      --pdf-fragments      one page per fragment step (default: one page per slide)
      --handout <2|3|6>    a handout too, <deck>-handout.pdf: slides a sheet (3: with notes)
      --paper <a4|letter>  the handout's paper (default: from the deck's lang)
      --annotations        what was drawn during \`lectern present\` (<deck>.annotations.json)
                           on its slides, into <deck>-annotated.pdf

Serve options:
  -p, --port <n>           port to listen on (default 8000; 0 for any free port)
      --host <address>     address to listen on (default 127.0.0.1; anything else is reachable
                           from other machines, and says so)
      --open               open the index in your browser (present: the presenter view)
      --lan [address]      present: listen on the room's network (this machine's address, or
                           the one given) so phones and laptops there can join

Output:
  -q, --quiet              print errors only
      --verbose            say how each deck was read (its dialect, and why)
      --json               print a JSON summary of every deck on stdout
      --debug              print stack traces
      --timings            where the run's time went, phase by phase (milliseconds, on stderr)

Exit codes: 0 ok, 1 content error, 2 usage or config error, 3 environment (browser missing),
4 render or PDF failure, 5 output I/O, 130 interrupted.
`;

export interface CliArgs {
  command:
    | 'build'
    | 'pdf'
    | 'png'
    | 'pptx'
    | 'check'
    | 'doctor'
    | 'templates'
    | 'new'
    | 'serve'
    | 'present'
    | 'index'
    | 'help'
    | 'version';
  inputs: string[];
  /** For `new template`: the template to extend. */
  from?: string;
  /** For `serve`. */
  port?: number;
  host?: string;
  open?: boolean;
  /** For `present --lan`: the address to listen on ('auto': this machine's own on the network). */
  lan?: string;
  out?: string;
  /** `build --check`: the browser checks too. */
  check?: boolean;
  /** `check --strict`: warnings fail too. */
  strict?: boolean;
  /** `--timings`: where the run's time went, phase by phase, on stderr at the end. */
  timings?: boolean;
  /** `build --single-file`: each deck as one HTML file too. */
  singleFile?: boolean;
  /** `build --force`: unchanged decks are built too. */
  force?: boolean;
  /** `build --shard k/n`. */
  shard?: { index: number; count: number };
  /** `pptx --pptx-pictures` (or `build --pptx-pictures`): each slide one picture. */
  pptxPictures?: boolean;
  /** `png --scale`, `--fragments`. */
  png?: { scale: 1 | 2; fragments: boolean };
  flags: DeckLayer;
  /** How the run finds and drives its browser; false with --no-browser. */
  browser: BrowserOptions | false;
  /** What the PDF holds; false with --no-pdf (or --no-browser). */
  pdf: PdfOptions | false;
  quiet: boolean;
  json: boolean;
  debug: boolean;
  /** Say how each deck was read (its dialect, and why). */
  verbose?: boolean;
}

const commands = new Set([
  'build',
  'pdf',
  'png',
  'pptx',
  'check',
  'doctor',
  'templates',
  'new',
  'serve',
  'present',
  'index',
]);
const dialectNames = ['lectern', 'reveal-md', 'pandoc', 'quarto', 'marp', 'slidev'];

/** argv (without node and script) -> what to do. Throws USAGE errors. */
export function parseCliArgs(argv: string[]): CliArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return bare('help', argv);
  if (first === '--version' || first === '-v') return bare('version', argv);
  if (!commands.has(first)) {
    const suggestion = closest(first, [...commands]);
    throw new DeckError('USAGE', `unknown command "${first}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, {
      hint: 'run `lectern --help` for the commands',
    });
  }
  // `--lan` alone means this machine's own address; `--lan <address>` (or `--lan=<address>`) names one.
  const lanAt = rest.indexOf('--lan');
  if (lanAt !== -1) {
    const next = rest[lanAt + 1];
    const named = next !== undefined && /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]+)$/i.test(next);
    rest.splice(lanAt, named ? 2 : 1, `--lan=${named ? next : 'auto'}`);
  }
  const parsed = readOptions(rest);
  const { values: v, positionals } = parsed;
  if (v.help) return bare('help', argv);
  const command = first as CliArgs['command'];
  if (command === 'present' && positionals.length !== 1) {
    throw new DeckError('USAGE', '`lectern present` takes one deck file', {
      hint: 'lectern present decks/talk.md',
    });
  }
  if (v.lan !== undefined && command !== 'present') {
    throw new DeckError('USAGE', '--lan goes with `lectern present`', {
      hint: 'lectern present decks/talk.md --lan (`lectern serve --host <address>` for the preview)',
    });
  }
  if (v.annotations && command !== 'pdf' && command !== 'build') {
    throw new DeckError('USAGE', '--annotations goes with `lectern pdf` (or `lectern build`)', {
      hint: 'lectern pdf decks/talk.md --annotations',
    });
  }
  if (command === 'pdf' && positionals.length !== 1) {
    throw new DeckError('USAGE', '`lectern pdf` takes one deck file or built deck folder', {
      hint: 'lectern pdf decks/talk.md',
    });
  }
  if (command === 'new' && (positionals.length !== 2 || !['deck', 'template'].includes(positionals[0]!))) {
    throw new DeckError('USAGE', '`lectern new` takes `deck <name>` or `template <name>`', {
      hint: 'lectern new deck my-talk',
    });
  }
  if (v.from && !(command === 'new' && positionals[0] === 'template')) {
    throw new DeckError('USAGE', '--from goes with `lectern new template`', {
      hint: 'lectern new template mine --from keynote',
    });
  }
  if (v.host && command === 'present') {
    throw new DeckError('USAGE', "`lectern present` listens on 127.0.0.1, or on the room's network with --lan", {
      hint: 'lectern present decks/talk.md --lan 192.168.1.20',
    });
  }
  if ((v.port || v.host || v.open) && command !== 'serve' && command !== 'present') {
    throw new DeckError('USAGE', '--port, --host and --open go with `lectern serve`', {
      hint: 'lectern serve --port 8080',
    });
  }
  if (v.check && command !== 'build')
    throw new DeckError('USAGE', '--check goes with `lectern build`; `lectern check` always runs every check', {
      hint: 'lectern build --check',
    });
  if (v.strict && command !== 'check' && command !== 'build')
    throw new DeckError('USAGE', '--strict goes with `lectern build` and `lectern check`', {
      hint: 'lectern build --strict',
    });
  if ((v.scale || v.fragments) && command !== 'png')
    throw new DeckError('USAGE', '--scale and --fragments go with `lectern png`', {
      hint: 'lectern png decks/talk.md --scale 2',
    });
  if (v.scale && v.scale !== '1' && v.scale !== '2')
    throw new DeckError('USAGE', `--scale takes 1 or 2, not "${v.scale}"`, {
      hint: 'lectern png decks/talk.md --scale 2',
    });
  if (v['single-file'] && command !== 'build')
    throw new DeckError('USAGE', '--single-file goes with `lectern build`', { hint: 'lectern build --single-file' });
  if (v.shard && command !== 'build')
    throw new DeckError('USAGE', '--shard goes with `lectern build`', { hint: 'lectern build --shard 1/4' });
  if (v.force && !['build', 'pdf', 'png', 'pptx'].includes(command))
    throw new DeckError('USAGE', '--force goes with `lectern build`, `lectern pdf`, `lectern png` and `lectern pptx`', {
      hint: 'lectern build --force',
    });
  if (v['no-browser'] && command !== 'check')
    throw new DeckError('USAGE', '--no-browser goes with `lectern check`', { hint: 'lectern check --no-browser' });
  if (v.dialect !== undefined && !dialectNames.includes(v.dialect)) {
    const suggestion = closest(v.dialect, dialectNames);
    throw new DeckError(
      'USAGE',
      `unknown dialect "${v.dialect}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      { hint: `dialects: ${dialectNames.join(', ')}` },
    );
  }
  if (command === 'check' && (v.out || v['pdf-notes'] || v['pdf-fragments'] || v.handout || v.paper)) {
    throw new DeckError(
      'USAGE',
      '`lectern check` writes nothing: --out, --pdf-notes, --pdf-fragments, --handout and --paper go with `lectern build`',
      { hint: 'lectern check decks/talk.md' },
    );
  }
  if (v['no-pdf'] && command === 'check')
    throw new DeckError('USAGE', '`lectern check` writes no PDF; --no-browser skips the browser checks', {
      hint: 'lectern check --no-browser',
    });
  if (v['pptx-pictures'] && !['build', 'pptx'].includes(command))
    throw new DeckError('USAGE', '--pptx-pictures goes with `lectern pptx` and `lectern build`', {
      hint: 'lectern pptx --pptx-pictures dist/<deck>',
    });
  if ((v.handout !== undefined || v.paper !== undefined) && !['build', 'pdf'].includes(command))
    throw new DeckError('USAGE', '--handout and --paper go with `lectern build` and `lectern pdf`', {
      hint: 'lectern pdf --handout 3 dist/<deck>',
    });
  if (v.paper !== undefined && v.handout === undefined)
    throw new DeckError('USAGE', '--paper sets the paper of a handout: give --handout too', {
      hint: 'lectern pdf --handout 3 --paper letter dist/<deck>',
    });
  if (v['no-pdf'] && (v.handout !== undefined || v['pdf-notes'] || v['pdf-fragments']))
    throw new DeckError('USAGE', '--no-pdf prints nothing: --handout, --pdf-notes and --pdf-fragments need the PDF', {
      hint: 'leave out --no-pdf',
    });
  if (v['no-pdf'] && command === 'pdf')
    throw new DeckError('USAGE', '--no-pdf makes no sense with `lectern pdf`', {
      hint: 'use `lectern build --no-pdf`',
    });

  const flags: DeckLayer = {};
  if (v.template) flags.template = v.template;
  if (v['unsafe-html']) flags.html = 'unsafe';
  if (v.dialect) flags.dialect = v.dialect as NonNullable<DeckLayer['dialect']>;
  const browser: BrowserOptions = {
    ...(v['browser-path'] ? { browserPath: v['browser-path'] } : {}),
    ...(v['browser-ws'] ? { browserWs: v['browser-ws'] } : {}),
    ...(v.concurrency ? { concurrency: positiveNumber('--concurrency', v.concurrency, true) } : {}),
    ...(v.timeout ? { timeoutMs: positiveNumber('--timeout', v.timeout, false) * 1000 } : {}),
    allowRemote: v['allow-remote'] ?? false,
  };
  const pdf: PdfOptions = {
    notes: v['pdf-notes'] ?? false,
    fragments: v['pdf-fragments'] ?? false,
    ...(v.handout !== undefined ? { handout: handoutOption(v.handout) } : {}),
    ...(v.paper !== undefined ? { paper: paperOption(v.paper) } : {}),
    ...(v.annotations ? { annotations: true } : {}),
  };
  return {
    command,
    inputs: positionals,
    ...(v.from ? { from: v.from } : {}),
    ...(v.port ? { port: portNumber(v.port) } : {}),
    ...(v.host ? { host: v.host } : {}),
    ...(v.open ? { open: true } : {}),
    ...(v.lan !== undefined ? { lan: v.lan } : {}),
    ...(v.out ? { out: v.out } : {}),
    ...(v.check ? { check: true } : {}),
    ...(v.strict ? { strict: true } : {}),
    ...(v.force ? { force: true } : {}),
    ...(v['single-file'] ? { singleFile: true } : {}),
    ...(v.timings ? { timings: true } : {}),
    ...(v['pptx-pictures'] ? { pptxPictures: true } : {}),
    ...(v.shard ? { shard: shardOption(v.shard) } : {}),
    ...(command === 'png' ? { png: { scale: v.scale === '2' ? 2 : 1, fragments: v.fragments ?? false } } : {}),
    flags,
    browser: v['no-browser'] ? false : browser,
    pdf: v['no-pdf'] || v['no-browser'] ? false : pdf,
    quiet: v.quiet ?? false,
    json: v.json ?? false,
    debug: v.debug ?? false,
    verbose: v.verbose ?? false,
  };
}

/** `--shard k/n`: shard k (1 to n) of n. */
function shardOption(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new DeckError('USAGE', `--shard takes k/n with 1 ≤ k ≤ n, not "${value}"`, {
      hint: 'lectern build --shard 2/4 (in a Kubernetes Indexed Job: --shard $((JOB_COMPLETION_INDEX + 1))/N)',
    });
  }
  return { index, count };
}

function bare(command: CliArgs['command'], argv: string[]): CliArgs {
  return {
    command,
    inputs: [],
    flags: {},
    browser: false,
    pdf: false,
    quiet: false,
    json: false,
    debug: argv.includes('--debug'),
  };
}

function portNumber(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new DeckError('USAGE', `--port takes a port number from 0 to 65535, not "${text}"`, {
      hint: 'for example --port 8080 (0: any free port)',
    });
  }
  return value;
}

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new DeckError('USAGE', `${flag} takes a positive ${integer ? 'whole ' : ''}number, not "${text}"`, {
      hint: `for example ${flag} ${integer ? '2' : '30'}`,
    });
  }
  return value;
}

/** `--handout`: how many slides a handout sheet holds. */
function handoutOption(text: string): HandoutSlides {
  const value = Number(text);
  if (!handoutCounts.includes(value as HandoutSlides)) {
    throw new DeckError('USAGE', `--handout takes 2, 3 or 6 (slides a sheet), not "${text}"`, {
      hint: 'lectern pdf --handout 3 dist/<deck>: three slides a sheet, each with its notes',
    });
  }
  return value as HandoutSlides;
}

/** `--paper`: the handout's paper. */
function paperOption(text: string): Paper {
  const value = text.toLowerCase();
  if (value !== 'a4' && value !== 'letter') {
    const suggestion = closest(value, ['a4', 'letter']);
    throw new DeckError(
      'USAGE',
      `--paper takes a4 or letter, not "${text}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      { hint: "without --paper, the paper follows the deck's lang: letter for en-US, en-CA, es-MX…, A4 elsewhere" },
    );
  }
  return value;
}

/** Every option of every command, as `node:util` parses them; the names feed the "did you mean". */
const cliOptions = {
  out: { type: 'string', short: 'o' },
  template: { type: 'string', short: 't' },
  'unsafe-html': { type: 'boolean' },
  'no-pdf': { type: 'boolean' },
  check: { type: 'boolean' },
  strict: { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  'browser-path': { type: 'string' },
  'browser-ws': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  'pdf-notes': { type: 'boolean' },
  'pdf-fragments': { type: 'boolean' },
  handout: { type: 'string' },
  paper: { type: 'string' },
  'pptx-pictures': { type: 'boolean' },
  annotations: { type: 'boolean' },
  lan: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  verbose: { type: 'boolean' },
  dialect: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  from: { type: 'string' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  open: { type: 'boolean' },
  force: { type: 'boolean' },
  'single-file': { type: 'boolean' },
  timings: { type: 'boolean' },
  shard: { type: 'string' },
  scale: { type: 'string' },
  fragments: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const optionNames = Object.keys(cliOptions);

function readOptions(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options: cliOptions });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    const suggestion = unknown?.startsWith('--') ? closest(unknown.slice(2), optionNames) : undefined;
    throw new DeckError(
      'USAGE',
      unknown
        ? `unknown option "${unknown}"${suggestion ? ` (did you mean "--${suggestion}"?)` : ''}`
        : message.split('. ')[0]!,
      {
        hint: 'run `lectern --help` for the options',
      },
    );
  }
}
