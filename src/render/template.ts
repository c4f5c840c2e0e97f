import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeckError } from '../errors.js';

/** A Handlebars source and the file it came from, so errors can name it. */
export interface TemplateSource {
  file: string;
  source: string;
}

/** A template folder read into memory: page layout, slide layouts, partials and assets. */
export interface Template {
  name: string;
  dir: string;
  page: TemplateSource;
  layouts: Record<string, TemplateSource>;
  partials: Record<string, TemplateSource>;
  /** Asset files, relative to the template's `assets/` folder, with `/` separators. */
  assets: string[];
}

/** The templates that ship with Lectern. */
export const builtinTemplatesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

/**
 * Finds a template by name: the project's `templates/` folder first, then the built-in
 * templates; a name with a slash is a path relative to the project.
 */
export function resolveTemplateDir(name: string, projectDir: string): string {
  const candidates = /[\\/]/.test(name) || name.startsWith('.')
    ? [resolve(projectDir, name)]
    : [join(projectDir, 'templates', name), join(builtinTemplatesDir, name)];
  const found = candidates.find((dir) => existsSync(join(dir, 'layout.hbs')));
  if (!found) {
    throw new DeckError('TEMPLATE_UNKNOWN', `template "${name}" not found`, {
      hint: `looked in ${candidates.map((c) => relative(projectDir, c) || '.').join(', ')}; available: ${listTemplates(projectDir).join(', ')}`,
    });
  }
  return found;
}

export function listTemplates(projectDir: string): string[] {
  const names = new Set<string>();
  for (const root of [join(projectDir, 'templates'), builtinTemplatesDir]) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)) if (existsSync(join(root, entry, 'layout.hbs'))) names.add(entry);
  }
  return [...names].sort();
}

/** Reads a template folder. The only file reads of the render stage happen here. */
export function loadTemplate(name: string, dir: string): Template {
  const read = (file: string): TemplateSource => ({ file, source: readFileSync(file, 'utf8') });
  const hbsIn = (folder: string): Record<string, TemplateSource> => {
    const out: Record<string, TemplateSource> = {};
    const path = join(dir, folder);
    if (!existsSync(path)) return out;
    for (const entry of readdirSync(path).sort()) {
      if (entry.endsWith('.hbs')) out[entry.slice(0, -4)] = read(join(path, entry));
    }
    return out;
  };
  return {
    name,
    dir,
    page: read(join(dir, 'layout.hbs')),
    layouts: hbsIn('layouts'),
    partials: hbsIn('partials'),
    assets: listFiles(join(dir, 'assets')),
  };
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  visit(root);
  return out;
}
