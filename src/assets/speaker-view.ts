import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeckError } from '../errors.js';

/**
 * Lectern's changes to Reveal.js's speaker view, which its notes plugin writes from a page it
 * carries: the "Upcoming" label stands above the next slide instead of over its title.
 */
const speakerViewCss = `
			/* Lectern: each label is a line above the slide it names, not a badge over its title. */
			#current-slide, #upcoming-slide { display: flex; flex-direction: column; }
			#current-slide .label, #upcoming-slide .label { position: static; align-self: flex-start; margin: 0 0 6px; }
			#current-slide iframe, #upcoming-slide iframe { flex: 1 1 auto; min-height: 0; height: auto; }
`;

const made = new Map<string, string>();

/** The notes plugin of the Reveal.js installed at `revealDir`, its speaker view changed as above. */
export function notesPlugin(revealDir: string): string {
  const file = join(revealDir, 'dist', 'plugin', 'notes.js');
  const known = made.get(file);
  if (known !== undefined) return known;
  const source = readFileSync(file, 'utf8');
  // The speaker view's one stylesheet; a Reveal.js that no longer has it is not the one Lectern knows.
  const at = source.indexOf('</style>');
  if (at === -1 || source.indexOf('</style>', at + 1) !== -1 || !source.includes('id="upcoming-slide"')) {
    throw new DeckError('INTERNAL', `the speaker view in ${file} is not the one Lectern knows how to change`, {
      hint: 'reinstall Lectern with npm ci, so that the Reveal.js it was tested with is the one installed',
    });
  }
  const plugin = source.slice(0, at) + speakerViewCss + source.slice(at);
  made.set(file, plugin);
  return plugin;
}
