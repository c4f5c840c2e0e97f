import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProjectConfig } from '../config/load-config.js';
import { projectDefaults } from '../config/schema.js';
import { DeckError } from '../errors.js';
import { writeFileAtomic } from '../output/write.js';
import { loadTemplate, type Template } from '../render/load-template.js';

const scaffoldDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scaffold');

/** A file to create, relative to the folder it belongs in. */
interface NewFile {
  path: string;
  content: string;
}

function checkName(kind: string, name: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) {
    throw new DeckError('USAGE', `"${name}" is not a ${kind} name Lectern can use`, {
      hint: 'use lower-case letters, digits and dashes, such as my-talk',
    });
  }
}

/** The starter deck: every outline feature once, and the picture it shows. Pure. */
function starterDeckFiles(name: string, title: string, date: string): NewFile[] {
  const fill = (text: string): string =>
    text.replaceAll('{{title}}', title.replace(/["\\]/g, '')).replaceAll('{{date}}', date).replaceAll('{{name}}', name);
  return [
    { path: `${name}.md`, content: fill(readFileSync(join(scaffoldDir, 'deck.md'), 'utf8')) },
    { path: `images/${name}-diagram.svg`, content: readFileSync(join(scaffoldDir, 'diagram.svg'), 'utf8') },
  ];
}

/** Writes the starter deck into the project's decks folder; refuses to overwrite. Returns the deck file. */
export function createDeck(projectDir: string, name: string, now = new Date()): string {
  checkName('deck', name);
  const decksDir = resolve(projectDir, loadProjectConfig(projectDir).config.decks ?? projectDefaults.decks);
  const title = name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  const files = starterDeckFiles(name, title, now.toISOString().slice(0, 10));
  refuseExisting(decksDir, files, projectDir);
  for (const file of files) writeFileAtomic(join(decksDir, file.path), file.content);
  return join(decksDir, files[0]!.path);
}

/**
 * A new template that extends `parent`: a manifest, a theme.css listing every variable it
 * can change (commented out), a footer partial to start from, and a README. Pure.
 */
function newTemplateFiles(name: string, parent: Template): NewFile[] {
  // Every variable of the parent's chain, as its :root rules leave it.
  const vars = Object.entries(parent.variables);
  const footer = parent.partials.footer?.source ?? '';
  const themeNames = Object.entries(parent.theme).map(
    ([n, v]) => `#   ${n}: ${v.type}${v.description ? ` (${v.description})` : ''}`,
  );
  return [
    {
      path: 'template.yaml',
      content: `name: ${name}
description: My own look, extending ${parent.name}.
extends: ${parent.name}
# Theme variables decks can set in front matter come from ${parent.name}:
${themeNames.join('\n')}
# Declare more here, each tied to a CSS custom property your theme.css uses:
# theme:
#   highlight: { css: --my-highlight, type: color, description: "marker colour" }
`,
    },
    {
      path: 'assets/theme.css',
      content: `/* ${name}: loaded after ${parent.name}'s stylesheet, so only what you change goes here.
   Uncomment a variable and give it a new value; keep text and background colours at a
   contrast of at least 4.5:1 (WCAG AA). Fonts: put .woff2 files in assets/fonts/ and add an
   @font-face rule; nothing may load from the network. */
:root {
${vars.map(([n, v]) => `  /* ${n}: ${v}; */`).join('\n')}
}

/* Rules for one layout: every slide's <section> has class="layout-<name>".
.reveal .layout-section .section-title { letter-spacing: -0.02em; }
*/
`,
    },
    {
      path: 'partials/footer.hbs',
      content: `{{!-- Overrides ${parent.name}'s footer partial; delete this file to inherit it again.
      Other partials to override the same way: ${Object.keys(parent.partials).sort().join(', ')}.
      Layouts live in layouts/<name>.hbs; a new file there is a new layout slides can choose
      with <!-- layout: <name> -->. --}}
${footer.replace(/^\{\{!--[\s\S]*?--\}\}\n?/, '')}`,
    },
    {
      path: 'README.md',
      content: `# ${name}

A Lectern template that extends \`${parent.name}\`. Use it with \`template: ${name}\` in a deck's
front matter, or \`lectern build --template ${name}\`.

- \`assets/theme.css\`: colours, fonts and sizes, as CSS custom properties.
- \`partials/\`: shared pieces of every slide (${Object.keys(parent.partials).sort().join(', ')}).
- \`layouts/\`: one file per slide layout (${Object.keys(parent.layouts).sort().join(', ')});
  add a file to add a layout, copy one from ${parent.name} to change it.

See docs/templates.md for the context every template sees and the helpers it can call.
`,
    },
  ];
}

/** Creates `templates/<name>/` extending `from`; refuses to overwrite. Returns its folder. */
export function createTemplate(projectDir: string, name: string, from = 'default'): string {
  checkName('template', name);
  const parent = loadTemplate(from, { projectDir });
  const dir = join(projectDir, 'templates', name);
  const files = newTemplateFiles(name, parent);
  refuseExisting(dir, files, projectDir);
  for (const file of files) writeFileAtomic(join(dir, file.path), file.content);
  return dir;
}

function refuseExisting(dir: string, files: NewFile[], projectDir: string): void {
  for (const file of files) {
    const path = join(dir, file.path);
    if (existsSync(path)) {
      throw new DeckError('NEW_EXISTS', `${relative(projectDir, path)} already exists`, {
        pos: { file: relative(projectDir, path) },
        hint: 'choose another name, or move the existing file away first',
      });
    }
  }
}
