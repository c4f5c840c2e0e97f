/**
 * The shape of a built deck's folder, which the renderer links to and the asset planner fills:
 * its page, its summary and the folders Lectern reserves. A leaf: it imports nothing.
 */

/** Where the built deck finds Lectern's own files, relative to its index.html. */
export const runtimeDir = '_lectern';
export const runtimePaths = {
  revealCss: `${runtimeDir}/reveal/reveal.css`,
  revealJs: `${runtimeDir}/reveal/reveal.js`,
  notesJs: `${runtimeDir}/reveal/plugin/notes.js`,
} as const;

/** Folder of a built deck that holds copies of project files from outside the deck's folder. */
export const projectFilesDir = '_project';
/** Folder of a built deck that holds downloaded remote files. */
export const remoteFilesDir = '_remote';

/** The output folder of each template layer's assets, base template first. */
export function templateAssetDirs(chain: readonly { name: string }[]): string[] {
  const used = new Set<string>();
  return chain.map((layer, i) => {
    const name = used.has(layer.name) ? `${layer.name}-${i}` : layer.name;
    used.add(name);
    return `${runtimeDir}/templates/${name}`;
  });
}

/**
 * Whether a path inside a built deck folder is one Lectern writes itself: the page, its summary,
 * the PDF and its thumbnail, the PowerPoint file, the slide pictures and the runtime. A deck file of that name would
 * be written over.
 */
export function reservedInDeck(path: string, deckName: string): boolean {
  return (
    path === 'index.html' ||
    path === 'deck.json' ||
    path === 'thumbnail.png' ||
    (deckName !== '' && (path === `${deckName}.pdf` || path === `${deckName}.pptx`)) ||
    path === 'slides' ||
    path.startsWith('slides/') ||
    path.startsWith(`${runtimeDir}/`)
  );
}

/** The names `reservedInDeck` keeps, as errors list them. */
export function reservedNames(deckName: string): string {
  return `index.html, deck.json, thumbnail.png, ${deckName ? `${deckName}.pdf, ${deckName}.pptx, ` : ''}slides/ and ${runtimeDir}/`;
}
