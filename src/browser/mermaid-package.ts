import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DeckError } from '../errors.js';

/** The installed mermaid: its browser bundle's path and its version (part of the cache key). */
export function mermaidPackage(): { script: string; version: string } {
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve('mermaid/package.json');
    const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    return { script: join(dirname(manifest), 'dist', 'mermaid.min.js'), version };
  } catch (err) {
    throw new DeckError('RUNTIME_MISSING', 'the mermaid package is not installed', {
      hint: 'run `npm run setup` (or `npm ci`) in the Lectern folder',
      cause: err,
    });
  }
}
