import type { DeckSummary } from '../model/summary.js';

/** A deck as the index lists it: its summary and the files made of it, by path from the index. */
type Listed = DeckSummary & { downloads?: { label: string; path: string }[] };
import { escapeHtml } from '../html.js';
import { compareText } from '../text.js';

/** The page at `dist/index.html` that lists every built deck. Pure. */
export function renderIndexPage(decks: Listed[]): string {
  const sorted = [...decks].sort((a, b) => compareText(a.title, b.title));
  const items = sorted
    .map((d) => {
      const href = `${encodeURIComponent(d.name)}/index.html`;
      const pdf = (d.downloads ?? [])
        .map((f) => ` · <a href="${f.path.split('/').map(encodeURIComponent).join('/')}">${escapeHtml(f.label)}</a>`)
        .join('');
      const byline = [d.author, d.date].filter(Boolean).map(escapeHtml).join(' · ');
      const thumb = d.thumbnail
        ? `<a class="thumb" href="${href}"><img src="${encodeURIComponent(d.name)}/${escapeHtml(d.thumbnail)}" alt="Title slide of ${escapeHtml(d.title)}" width="240"></a>\n      `
        : '';
      return `    <li class="deck">
      ${thumb}<h2><a href="${href}">${escapeHtml(d.title)}</a></h2>
      ${d.subtitle ? `<p class="subtitle">${escapeHtml(d.subtitle)}</p>` : ''}
      <p class="meta">${byline ? `${byline} · ` : ''}<span class="count">${d.slideCount} slides</span> · <a href="${href}">HTML</a>${pdf}</p>
    </li>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="generator" content="Lectern">
  <title>Decks</title>
  <style>
    body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 3rem auto; max-width: 46rem; padding: 0 1rem; color: #1d232b; background: #fbfaf7; }
    h1 { font-size: 1.6rem; }
    ul { list-style: none; padding: 0; }
    .deck { border-top: 1px solid #d9dde3; padding: 1rem 0; overflow: hidden; }
    .thumb { float: left; margin: 0 1rem 0 0; }
    .thumb img { display: block; width: 240px; height: auto; border: 1px solid #d9dde3; }
    .deck h2 { font-size: 1.25rem; margin: 0 0 0.3rem; }
    .subtitle { margin: 0 0 0.3rem; color: #3d4652; }
    .meta { margin: 0; color: #5b6573; font-size: 0.9rem; }
    a { color: #0b6e6e; }
  </style>
</head>
<body>
  <h1>Decks</h1>
  <ul class="decks">
${items}
  </ul>
</body>
</html>
`;
}
