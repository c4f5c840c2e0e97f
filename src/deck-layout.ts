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

/** What a PDF of a deck holds beside its slides: notes pages, one page for each fragment step. */
export interface PdfKind {
  notes?: boolean;
  fragments?: boolean;
  /** The speaker's drawing from `lectern present` on its slides. */
  annotations?: boolean;
}

/** Each kind of PDF has a name of its own, so printing one never writes over another. */
export function pdfFileName(deckName: string, kind: PdfKind = {}): string {
  return `${deckName}${kind.notes ? '-notes' : ''}${kind.fragments ? '-fragments' : ''}${kind.annotations ? '-annotated' : ''}.pdf`;
}

/** A deck's handout: several slides a sheet, however many and whatever its deck PDF holds. */
export function handoutFileName(deckName: string): string {
  return `${deckName}-handout.pdf`;
}

/** Every PDF a deck folder may hold, with what the index calls it. */
export function pdfFiles(deckName: string): { file: string; label: string }[] {
  const kinds = [
    { kind: {}, label: 'PDF' },
    { kind: { notes: true }, label: 'PDF with notes' },
    { kind: { fragments: true }, label: 'PDF, a page per step' },
    { kind: { notes: true, fragments: true }, label: 'PDF with notes, a page per step' },
  ];
  return [
    ...kinds.map((k) => ({ label: k.label, file: pdfFileName(deckName, k.kind) })),
    { label: 'Handout', file: handoutFileName(deckName) },
    // What was drawn during the talk (`lectern present`), on each kind.
    ...kinds.map((k) => ({
      label: `${k.label}, with the talk's drawing`,
      file: pdfFileName(deckName, { ...k.kind, annotations: true }),
    })),
  ];
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
    (deckName !== '' && (pdfFiles(deckName).some((p) => p.file === path) || path === `${deckName}.pptx`)) ||
    path === 'slides' ||
    path.startsWith('slides/') ||
    path.startsWith(`${runtimeDir}/`)
  );
}

/** The names `reservedInDeck` keeps, as errors list them. */
export function reservedNames(deckName: string): string {
  const files = deckName ? [...pdfFiles(deckName).map((p) => p.file), `${deckName}.pptx`] : [];
  const own = files.map((f) => `${f}, `).join('');
  return `index.html, deck.json, thumbnail.png, ${own}slides/ and ${runtimeDir}/`;
}
