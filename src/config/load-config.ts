import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
