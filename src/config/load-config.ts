import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { projectConfigSchema, type ProjectConfigLayer } from './schema.js';
import type { SourcePos } from '../errors.js';
import { readYamlLayer } from './yaml-layer.js';
import { cleanText } from '../text.js';
import { readRegularText } from '../read-file.js';

export const configFileNames = ['lectern.config.yaml', 'lectern.config.yml'];

interface LoadedConfig {
  file: string | null;
  config: ProjectConfigLayer;
  /** Where a key of the config file was written. */
  locate: (path: (string | number)[]) => SourcePos;
}

/** Reads and validates the project's config file, if there is one. */
export function loadProjectConfig(projectDir: string): LoadedConfig {
  for (const name of configFileNames) {
    const file = join(projectDir, name);
    if (!existsSync(file)) continue;
    const text = cleanText(readRegularText(file, name));
    const layer = readYamlLayer({ text, file: name, firstLine: 1 }, projectConfigSchema, {
      syntax: 'CONFIG_SYNTAX',
      invalid: 'CONFIG_INVALID',
      unknownKey: 'CONFIG_UNKNOWN_KEY',
    });
    return { file: name, config: layer.value, locate: layer.locate };
  }
  return { file: null, config: {}, locate: () => ({ file: configFileNames[0]! }) };
}

/**
 * The project a folder belongs to: the nearest folder, this one or one above it, that holds a
 * config file or a `decks/` folder. Null when none does (the folder is then the project).
 */
export function findProjectRoot(start: string): { dir: string; reason: string } | null {
  let dir = resolve(start);
  for (;;) {
    const config = configFileNames.find((name) => existsSync(join(dir, name)));
    if (config) return { dir, reason: `it has ${config}` };
    try {
      if (statSync(join(dir, 'decks')).isDirectory()) return { dir, reason: 'it has a decks/ folder' };
    } catch {
      // no decks/ here
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
