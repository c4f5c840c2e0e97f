import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/render/compile-template.js';
import { loadTemplate } from '../../src/render/load-template.js';
import { repoRoot } from '../helpers/fs.js';
import { modelOf } from '../helpers/deck.js';
import { readFileSync } from 'node:fs';

// Golden files: outline -> model (JSON) and model -> HTML with the default template.
// Refresh them with `npm run golden` and review the diff.
const fixtures = join(import.meta.dirname, 'fixtures');
const compiled = compileTemplate(loadTemplate('default', { projectDir: repoRoot }));

describe.each(readdirSync(fixtures).filter((f) => f.endsWith('.md')))('%s', (name) => {
  const source = readFileSync(join(fixtures, name), 'utf8');
  const deck = modelOf(source, {}, `fixtures/${name}`);
  const base = name.replace(/\.md$/, '');

  it('matches the model golden file', async () => {
    await expect(`${JSON.stringify(deck, null, 2)}\n`).toMatchFileSnapshot(join(fixtures, `${base}.model.json`));
  });

  it('matches the HTML golden file', async () => {
    await expect(compiled.render(deck)).toMatchFileSnapshot(join(fixtures, `${base}.html`));
  });
});
