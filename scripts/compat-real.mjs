// `npm run compat -- --real <dir>`: builds every deck of a real-deck set (a folder with a
// `manifest.tsv`: file, dialect, slides, horizontal, config, …) with the Lectern CLI, as a new
// user would — the deck copied unchanged into a scratch project, with the author's project
// settings written the way the author's tool keeps them — and prints a row per deck: exit code,
// the author's slide count beside Lectern's, and any syntax of the author's tool left on the
// slides. Nothing of the set is copied into this repository.
//
//   npm run compat -- --real ../shared/real-decks             every deck
//   npm run compat -- --real ../shared/real-decks 045 071     some decks (by number or name)
//   npm run compat -- --real ../shared/real-decks --json      rows as JSON (for tests)
//
// Project settings (the manifest's `config` column) are written as the author's project had them:
// reveal-md separators into `reveal-md.json`, Marp CLI options into `.marprc.yml`, Pandoc's
// `--slide-level` as Lectern's `slideLevel` in `lectern.config.yaml`. Settings no reader of Lectern
// honours (preprocessors, engines, templates, citeproc) are listed in the row's `unhonoured`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin/lectern.js');

/** The manifest as rows of named columns. */
export function readManifest(dir) {
  const [head, ...lines] = readFileSync(join(dir, 'manifest.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = head.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v])));
}

/** Which tool the author built with: the `tool:` of the settings, else the manifest's dialect. */
function toolOf(row, settings) {
  const t = settings.tool ?? row.dialect;
  if (/marp/.test(t)) return 'marp';
  if (/reveal/.test(t)) return 'reveal-md';
  if (/pandoc/.test(t)) return 'pandoc';
  return t;
}

/**
 * The author's project settings, written into the scratch project where the author's tool keeps
 * them; returns the settings that cannot be honoured.
 */
function writeSettings(project, deckDir, row, settings, YAML) {
  const tool = toolOf(row, settings);
  const unhonoured = [];
  const rest = { ...settings };
  delete rest.tool;
  if (tool === 'reveal-md') {
    const json = {};
    for (const k of ['separator', 'verticalSeparator']) if (k in rest) json[k] = rest[k];
    if ('separatorNotes' in rest) json.notesSeparator = rest.separatorNotes;
    if (rest.preprocessor) unhonoured.push(`preprocessor ${rest.preprocessor}`);
    // The author's reveal-md.json (or the plugin's attributes in the author's HTML page).
    if (settings.tool !== 'reveal.js-markdown-plugin' || Object.keys(json).length)
      writeFileSync(join(deckDir, 'reveal-md.json'), `${JSON.stringify(json, null, 2)}\n`);
  } else if (tool === 'marp') {
    const marprc = {};
    if ('html' in rest) marprc.html = rest.html;
    if (rest.options) marprc.options = rest.options;
    if (rest.lang) marprc.lang = rest.lang;
    for (const k of ['engine', 'themeSet', 'theme']) if (rest[k]) unhonoured.push(`${k} ${JSON.stringify(rest[k])}`);
    writeFileSync(join(project, '.marprc.yml'), YAML.stringify(marprc));
  } else if (tool === 'pandoc') {
    const config = {};
    if (rest['slide-level']) config.slideLevel = Number(rest['slide-level']);
    if (rest.to === 'html5' && rest['section-divs']) config.sectionDivs = true;
    for (const k of ['template', 'citeproc', 'bibliography', 'csl'])
      if (rest[k]) unhonoured.push(`${k} ${JSON.stringify(rest[k])}`);
    if (Object.keys(config).length) writeFileSync(join(project, 'lectern.config.yaml'), YAML.stringify(config));
  } else if (tool === 'quarto') {
    if (rest.format) unhonoured.push('format options kept in _quarto.yml (not in the set)');
  }
  return unhonoured;
}

function runCli(args, cwd) {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => ok({ code, out, err }));
  });
}

/** Visible text of each slide of a built deck (notes left out), with its horizontal index. */
function slidesOf(html, parseDocument, DomUtils) {
  const doc = parseDocument(html);
  const sections = DomUtils.findAll(
    (el) => el.name === 'section' && el.attribs['data-lectern-slide'] !== undefined,
    doc.children,
  );
  const visible = (el) => {
    if (el.type === 'text') return el.data;
    if (el.type !== 'tag') return '';
    // Notes, and code shown as code (which may hold any tool's syntax on purpose), are not slide text.
    if (['aside', 'script', 'style', 'pre', 'code'].includes(el.name)) return '';
    if (el.name === 'section' && el.attribs['data-lectern-slide'] !== undefined && el !== current) return '';
    const block = /^(p|div|li|h\d|pre|tr|br|blockquote)$/.test(el.name);
    const inner = el.children.map(visible).join('');
    return block ? `\n${inner}\n` : inner;
  };
  let current;
  return sections.map((s) => {
    current = s;
    return { h: Number(s.attribs['data-h']), text: visible(s) };
  });
}

/** Syntax of a deck tool that means a reader missed something, when it shows on a slide. */
const leaks = [
  ['notes marker', /^\s*(Notes?|NOTE):\s/m],
  ['fenced div', /^\s*:::/m],
  ['slot marker', /^\s*::[\w-]+::\s*$/m],
  ['HTML comment', /<!--/],
  [
    'Vue component',
    /<\/?(v-clicks?|v-after|v-click-gap|v-switch|v-drag|Transform|Tweet|Youtube|SlidevVideo|Arrow|AutoFitText|RenderWhen|LightOrDark|Toc|Link)\b/,
  ],
  ['click marker', /^\s*\[click(:\d+)?\]/m],
  ['attribute block', /\{(\s*[#.][\w-]+)+(\s+[\w-]+=[^}]*)*\s*\}\s*$/m],
  ['shortcode', /\{\{<.*>\}\}/],
  ['pause', /^\s*\. \. \.\s*$/m],
  ['front matter', /^\s*(layout|class|background|transition|clicks|hideInToc|level|routeAlias|src|image):\s*\S/m],
  ['directive', /^\s*_?(paginate|backgroundColor|backgroundImage|headingDivider|_class):\s/m],
  ['separator', /^\s*(-{3,}|\*{3,}|={3,})\s*$/m],
  ['reveal comment', /\.(slide|element):/],
];

function countBy(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The rows of a real-deck run. */
export async function runReal(dir, wanted = []) {
  const YAML = (await import('yaml')).default;
  const { parseDocument, DomUtils } = await import('htmlparser2');
  const rows = [];
  const manifest = readManifest(dir).filter((r) => wanted.length === 0 || wanted.some((w) => r.file.includes(w)));
  for (const row of manifest) {
    const settings = row.config === '-' ? {} : (YAML.parse(row.config) ?? {});
    const [dialectDir, first] = row.file.split('/');
    const project = await mkdtemp(join(tmpdir(), 'lectern-real-'));
    try {
      // A deck of several files keeps its folder (`<dialect>/<NNN>-name/…`); a deck of one file
      // is copied alone.
      const folder = join(dir, dialectDir, first);
      let entry;
      if (row.file.split('/').length > 2 && existsSync(folder)) {
        cpSync(folder, join(project, first), { recursive: true });
        entry = join(first, ...row.file.split('/').slice(2));
      } else {
        cpSync(join(dir, row.file), join(project, first));
        entry = first;
      }
      const deckDir = dirname(join(project, entry));
      mkdirSync(deckDir, { recursive: true });
      const unhonoured = writeSettings(project, deckDir, row, settings, YAML);
      const res = await runCli(['build', entry, '--no-pdf', '--json', '-o', 'out'], project);
      let summary;
      try {
        summary = JSON.parse(res.out);
      } catch {
        summary = { decks: [], errors: [] };
      }
      const deck = summary.decks[0];
      const errors = res.err
        .split('\n')
        .filter((l) => /error\[/.test(l))
        .slice(0, 3);
      let slides = 0;
      let horizontal = 0;
      const found = [];
      if (deck?.html && existsSync(join(project, deck.html))) {
        const shown = slidesOf(readFileSync(join(project, deck.html), 'utf8'), parseDocument, DomUtils);
        slides = shown.length;
        horizontal = new Set(shown.map((s) => s.h)).size;
        for (const [what, re] of leaks) {
          // `Note:` is syntax only where the reader takes notes from it.
          if (what === 'notes marker' && toolOf(row, settings) !== 'reveal-md') continue;
          const at = shown.findIndex((s) => re.test(s.text));
          if (at >= 0) found.push(`${what} (slide ${at + 1}: ${JSON.stringify(re.exec(shown[at].text)[0].trim())})`);
        }
      }
      const warnings = deck?.warnings ?? [];
      rows.push({
        file: row.file,
        tool: toolOf(row, settings),
        expected: Number(row.slides),
        expectedHorizontal: Number(row.horizontal),
        exit: res.code,
        slides,
        horizontal,
        dialect: deck?.dialect ?? '-',
        reason: deck?.dialectReason ?? '',
        leaks: found,
        errors,
        warnings: [...countBy(warnings.map((w) => w.code))].map(([k, n]) => `${k}×${n}`),
        unhonoured,
        ok: res.code === 0 && slides === Number(row.slides) && found.length === 0,
      });
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }
  return rows;
}

export function printReal(rows) {
  const width = Math.max(...rows.map((r) => r.file.length));
  console.log(`${'deck'.padEnd(width)}  tool       exit  author  lectern  read as    result`);
  for (const r of rows) {
    const why = [
      r.exit !== 0 ? r.errors.join(' | ') : '',
      r.slides !== r.expected && r.exit === 0
        ? `count ${r.slides} (${r.horizontal}H), author ${r.expected} (${r.expectedHorizontal}H)`
        : '',
      r.leaks.length ? `on the slides: ${r.leaks.join('; ')}` : '',
    ].filter(Boolean);
    console.log(
      `${r.file.padEnd(width)}  ${r.tool.padEnd(9)}  ${String(r.exit).padEnd(4)}  ${String(r.expected).padEnd(6)}  ${String(r.slides).padEnd(7)}  ${r.dialect.padEnd(9)}  ${r.ok ? 'ok' : 'FAIL'}${why.length ? `  ${why.join('; ')}` : ''}`,
    );
  }
  const tools = [...new Set(rows.map((r) => r.tool))];
  console.log('');
  for (const t of tools) {
    const of = rows.filter((r) => r.tool === t);
    const ok = of.filter((r) => r.ok).length;
    console.log(`${t.padEnd(10)} ${ok} of ${of.length} (${((100 * ok) / of.length).toFixed(0)} %)`);
  }
  const ok = rows.filter((r) => r.ok).length;
  console.log(
    `all        ${ok} of ${rows.length} build with the author's slide count and nothing of the tool on the slides`,
  );
  const unhonoured = rows.filter((r) => r.unhonoured.length);
  if (unhonoured.length) {
    console.log('\nsettings the author used that Lectern does not honour:');
    for (const r of unhonoured) console.log(`  ${r.file}: ${r.unhonoured.join(', ')}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2).filter((a) => a !== '--real' && a !== '--json');
  const rows = await runReal(args[0], args.slice(1));
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else printReal(rows);
}
