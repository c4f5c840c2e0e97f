import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseYamlLayer } from '../config/yaml-layer.js';
import { didYouMean } from '../suggest.js';
import { DeckError, type Finding } from '../errors.js';
import { checkTemplateCss } from './template-css.js';
import { shownPath } from '../shown.js';
import { templateAssetDirs } from '../deck-layout.js';
import { cleanText } from '../text.js';
import { rootVariables } from './palette.js';
import { readRegularText } from '../read-file.js';

/** A Handlebars source and the file it came from, so errors can name it. */
export interface TemplateSource {
  file: string;
  source: string;
}

const themeTypes = ['color', 'font', 'length', 'image', 'text'] as const;
export type ThemeType = (typeof themeTypes)[number];

const themeVarSchema = z
  .object({
    /** The CSS custom property the value sets; none for values only partials use (logo, footer). */
    css: z
      .string()
      .regex(/^--[a-z0-9-]+$/)
      .optional(),
    type: z.enum(themeTypes),
    description: z.string().optional(),
  })
  .strict();
export type ThemeVar = z.infer<typeof themeVarSchema>;

/** Mermaid's own themes. */
export const diagramThemes = ['default', 'dark', 'neutral', 'forest', 'base'] as const;

const manifestSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    extends: z.string().min(1).optional(),
    theme: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), themeVarSchema).default({}),
    /**
     * The template's own logo, a file of its `assets/` folder shown on every slide (a deck's
     * `theme: logo:` takes its place), with variants for slides on a dark or a light fill.
     */
    logo: z
      .union([
        z.string().min(1),
        z
          .object({
            src: z.string().min(1),
            onDark: z.string().min(1).optional(),
            onLight: z.string().min(1).optional(),
          })
          .strict(),
      ])
      .optional(),
    /**
     * How diagrams are drawn: by default in the template's own colours; a mermaid theme's name
     * draws them in that theme instead, and `variables` sets mermaid's theme variables over the
     * template's colours (`diagrams: { variables: { primaryColor: '#eee' } }`).
     */
    diagrams: z
      .union([
        z.enum(diagramThemes),
        z
          .object({
            theme: z.enum(diagramThemes).optional(),
            variables: z.record(z.string().regex(/^[a-zA-Z]+$/), z.string()).optional(),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();
type TemplateManifest = z.infer<typeof manifestSchema>;

type TemplateOrigin = 'deck' | 'project' | 'builtin' | 'path';

/** One template folder as read from disk, before inheritance is applied. */
export interface TemplateLayer {
  name: string;
  dir: string;
  origin: TemplateOrigin;
  manifest: TemplateManifest;
  /** The manifest file, and the line of its `extends`, for error messages. */
  manifestFile: string;
  extendsLine?: number;
  page?: TemplateSource;
  layouts: Record<string, TemplateSource>;
  partials: Record<string, TemplateSource>;
  /** Asset files, relative to the layer's `assets/` folder, with `/` separators. */
  assets: string[];
  /** What a browser would drop from the layer's stylesheets (not looked for in the built-in ones). */
  cssFindings: Finding[];
}

/** A template with its `extends` chain applied: what the render stage uses. */
export interface Template {
  name: string;
  dir: string;
  /** Base template first, this template last. */
  chain: TemplateLayer[];
  page: TemplateSource;
  layouts: Record<string, TemplateSource>;
  partials: Record<string, TemplateSource>;
  theme: Record<string, ThemeVar>;
  /** The mermaid theme of the nearest layer that names one (`default` when none does). */
  /** The mermaid theme a template names for its diagrams, if any (else they take its colours). */
  diagramTheme: (typeof diagramThemes)[number] | undefined;
  /** Mermaid theme variables the template sets over its colours. */
  diagramVariables: Record<string, string>;
  /** What a browser would drop from the stylesheets of the template and those it extends. */
  cssFindings: Finding[];
  /** The template's logo as the built deck finds it (paths from its index.html); absent without one. */
  logo?: { src: string; onDark?: string; onLight?: string };
  /** The custom properties the `:root` rules of the chain's `theme.css` files set (colours, fonts, sizes). */
  variables: Record<string, string>;
}

/** The templates that ship with Lectern. */
const builtinTemplatesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

interface TemplateRoots {
  /** Folder of the deck file: its `templates/` folder is searched first. */
  deckDir?: string;
  projectDir: string;
}

function searchRoots(roots: TemplateRoots): [string, TemplateOrigin][] {
  const list: [string, TemplateOrigin][] = [];
  if (roots.deckDir) list.push([join(roots.deckDir, 'templates'), 'deck']);
  list.push([join(roots.projectDir, 'templates'), 'project'], [builtinTemplatesDir, 'builtin']);
  // The same folder can be reached twice (a project whose templates/ is Lectern's own): the
  // built-in templates are called built-in wherever they are reached from.
  const named = list.map(([dir, origin]): [string, TemplateOrigin] => [
    dir,
    resolve(dir) === resolve(builtinTemplatesDir) ? 'builtin' : origin,
  ]);
  return named.filter(([dir], i) => named.findIndex(([other]) => resolve(other) === resolve(dir)) === i);
}

/**
 * Finds a template folder: the deck's `templates/`, the project's `templates/`, then the
 * built-in ones; a name with a slash is a path relative to the project. `skip` leaves out a
 * folder (a template may extend another of its own name further down the order).
 */
export function findTemplate(
  name: string,
  roots: TemplateRoots,
  skip?: string,
): { dir: string; origin: TemplateOrigin } {
  if (/[\\/]/.test(name) || name.startsWith('.')) {
    const dir = resolve(roots.projectDir, name);
    if (existsSync(join(dir, 'template.yaml')) || existsSync(join(dir, 'layout.hbs'))) return { dir, origin: 'path' };
  } else {
    for (const [root, origin] of searchRoots(roots)) {
      const dir = join(root, name);
      if (skip && resolve(dir) === resolve(skip)) continue;
      if (existsSync(join(dir, 'template.yaml')) || existsSync(join(dir, 'layout.hbs'))) return { dir, origin };
    }
  }
  const looked = /[\\/]/.test(name)
    ? [resolve(roots.projectDir, name)]
    : searchRoots(roots).map(([root]) => join(root, name));
  const available = listTemplates(roots).map((t) => t.name);
  throw new DeckError('TEMPLATE_UNKNOWN', `template "${name}" not found${didYouMean(name, available)}`, {
    hint: `looked in ${looked.map((d) => relative(roots.projectDir, d) || '.').join(', ')}; available: ${available.join(', ')}`,
  });
}

/** Every template that a deck in this project could use, nearest first. */
export function listTemplates(roots: TemplateRoots): { name: string; dir: string; origin: TemplateOrigin }[] {
  const seen = new Set<string>();
  const out: { name: string; dir: string; origin: TemplateOrigin }[] = [];
  for (const [root, origin] of searchRoots(roots)) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root).sort()) {
      const dir = join(root, entry);
      if (seen.has(entry) || !(existsSync(join(dir, 'template.yaml')) || existsSync(join(dir, 'layout.hbs')))) continue;
      seen.add(entry);
      out.push({ name: entry, dir, origin });
    }
  }
  return out;
}

/** Reads one template folder. */
export function readTemplateLayer(
  dir: string,
  origin: TemplateOrigin,
  fallbackName: string,
  displayRoot: string,
): TemplateLayer {
  const assets = listFiles(join(dir, 'assets'));
  const read = (file: string): TemplateSource => ({
    file: shownPath(file, displayRoot),
    source: readRegularText(file),
  });
  const hbsIn = (folder: string): Record<string, TemplateSource> => {
    const out: Record<string, TemplateSource> = {};
    const path = join(dir, folder);
    if (!existsSync(path)) return out;
    for (const entry of readdirSync(path).sort())
      if (entry.endsWith('.hbs')) out[entry.slice(0, -4)] = read(join(path, entry));
    return out;
  };
  const manifestPath = join(dir, 'template.yaml');
  const manifestFile = shownPath(manifestPath, displayRoot);
  let manifest: TemplateManifest = { name: fallbackName, description: '', theme: {} };
  let extendsLine: number | undefined;
  if (existsSync(manifestPath)) {
    const text = cleanText(readRegularText(manifestPath));
    manifest = parseYamlLayer({ text, file: manifestFile, firstLine: 1 }, manifestSchema, {
      syntax: 'TEMPLATE_MANIFEST',
      invalid: 'TEMPLATE_MANIFEST',
      unknownKey: 'TEMPLATE_MANIFEST',
    });
    const at = text.split('\n').findIndex((line) => /^extends\s*:/.test(line));
    if (at >= 0) extendsLine = at + 1;
  }
  return {
    name: manifest.name,
    dir,
    origin,
    manifest,
    manifestFile,
    ...(extendsLine ? { extendsLine } : {}),
    ...(existsSync(join(dir, 'layout.hbs')) ? { page: read(join(dir, 'layout.hbs')) } : {}),
    layouts: hbsIn('layouts'),
    partials: hbsIn('partials'),
    assets,
    // The built-in templates' stylesheets are checked by the tests; a user's are read here.
    cssFindings:
      origin === 'builtin'
        ? []
        : assets
            .filter((f) => f.endsWith('.css'))
            .flatMap((f) => {
              const file = join(dir, 'assets', f);
              return checkTemplateCss(readRegularText(file), shownPath(file, displayRoot));
            }),
  };
}

/**
 * Loads a template and everything it extends, child over parent: layouts, partials and theme
 * variables by name, the page layout from the nearest template that has one, and every
 * template's assets (so a child's CSS only needs the variables it changes). A cycle in
 * `extends` is an error that shows the chain.
 */
export function loadTemplate(name: string, roots: TemplateRoots): Template {
  const chain: TemplateLayer[] = [];
  let found = findTemplate(name, roots);
  let layerName = name;
  for (;;) {
    const layer = readTemplateLayer(found.dir, found.origin, layerName, roots.projectDir);
    const seenAt = chain.findIndex((l) => resolve(l.dir) === resolve(layer.dir));
    if (seenAt >= 0) {
      const names = [...chain.map((l) => l.name), layer.name].join(' extends ');
      const last = chain[chain.length - 1]!;
      throw new DeckError('TEMPLATE_CYCLE', `templates extend each other in a circle: ${names}`, {
        pos: { file: last.manifestFile, line: last.extendsLine ?? 1, column: 1 },
        hint: 'remove one `extends` so the chain ends at a template that extends nothing (default)',
      });
    }
    chain.push(layer);
    const parent = layer.manifest.extends;
    if (!parent) break;
    try {
      found = findTemplate(parent, roots, parent === layerName ? layer.dir : undefined);
    } catch (err) {
      if (err instanceof DeckError) {
        throw new DeckError(err.code, `${err.message} (extended by template "${layer.name}")`, {
          pos: { file: layer.manifestFile, line: layer.extendsLine ?? 1, column: 1 },
          hint: err.hint,
        });
      }
      throw err;
    }
    layerName = parent;
  }
  chain.reverse();
  const top = chain[chain.length - 1]!;
  const page = [...chain].reverse().find((l) => l.page)?.page;
  if (!page) {
    throw new DeckError('TEMPLATE_UNKNOWN', `template "${top.name}" has no layout.hbs and extends none that has`, {
      pos: { file: top.manifestFile },
      hint: 'add `extends: default` to its template.yaml',
    });
  }
  return {
    name: top.name,
    dir: top.dir,
    chain,
    page,
    layouts: Object.assign({}, ...chain.map((l) => l.layouts)),
    partials: Object.assign({}, ...chain.map((l) => l.partials)),
    theme: Object.assign({}, ...chain.map((l) => l.manifest.theme)),
    diagramTheme: [...chain]
      .reverse()
      .map((l) => l.manifest.diagrams)
      .map((d) => (typeof d === 'string' ? d : d?.theme))
      .find((d) => d !== undefined),
    ...templateLogo(chain),
    cssFindings: chain.flatMap((l) => l.cssFindings),
    diagramVariables: Object.assign(
      {},
      ...chain.map((l) => (typeof l.manifest.diagrams === 'object' ? (l.manifest.diagrams.variables ?? {}) : {})),
    ),
    variables: rootVariables(
      chain.flatMap((l) =>
        l.assets.includes('theme.css') ? [readRegularText(join(l.dir, 'assets', 'theme.css'))] : [],
      ),
    ),
  };
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const layer = realpathSync(dirname(root));
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      const rel = relative(root, path).split(sep).join('/');
      const link = lstatSync(path).isSymbolicLink();
      // A template's files are its own: a link may point only at a file inside the template.
      if (link) {
        let real = '';
        try {
          real = realpathSync(path);
        } catch {
          // A dangling or looping link: refused below.
        }
        if (!real?.startsWith(layer + sep) || statSync(real).isDirectory()) {
          throw new DeckError(
            'ASSET_OUTSIDE',
            `template asset "${rel}" is a link to ${real ? (statSync(real).isDirectory() ? 'a folder' : 'a file outside the template') : 'nothing'}`,
            {
              pos: { file: path },
              hint: "copy the file into the template's assets/ folder instead of linking to it",
            },
          );
        }
        out.push(rel);
      } else if (statSync(path).isDirectory()) visit(path);
      else out.push(rel);
    }
  };
  visit(root);
  return out;
}

/**
 * The logo the most derived layer that names one ships, each file checked to be one of that
 * layer's assets, as paths the built deck finds it at.
 */
function templateLogo(chain: TemplateLayer[]): { logo?: Template['logo'] } {
  const dirs = templateAssetDirs(chain);
  for (let i = chain.length - 1; i >= 0; i--) {
    const layer = chain[i]!;
    const logo = layer.manifest.logo;
    if (!logo) continue;
    const files = typeof logo === 'string' ? { src: logo } : logo;
    const out: Record<string, string> = {};
    for (const [key, file] of Object.entries(files)) {
      if (file === undefined) continue;
      const rel = file.replace(/^\.\//, '').replace(/^assets\//, '');
      if (!layer.assets.includes(rel)) {
        throw new DeckError(
          'TEMPLATE_MANIFEST',
          `logo${key === 'src' ? '' : `.${key}`} "${file}" is not a file of the template's assets/ folder`,
          {
            pos: { file: layer.manifestFile, line: 1, column: 1 },
            hint: `put the file in ${join(layer.dir, 'assets')} and name it from there, as in logo: assets/logo.svg`,
          },
        );
      }
      out[key] = `${dirs[i]}/${rel}`;
    }
    return { logo: out as Template['logo'] };
  }
  return {};
}
