/**
 * Which tool reads a front-matter key Lectern has no use for, so the warning that drops it can
 * say so. Authors keep their own keys in front matter too (`event:`, `university:`): those are
 * nobody's, and are dropped the same way. Pure.
 */

const slidevDeck = [
  'addons',
  'aspectRatio',
  'browserExporter',
  'canvasWidth',
  'colorSchema',
  'contextMenu',
  'defaults',
  'download',
  'drawings',
  'duration',
  'editor',
  'export',
  'exportFilename',
  'favicon',
  'fonts',
  'highlighter',
  'htmlAttrs',
  'info',
  'lineNumbers',
  'magicMoveCopy',
  'mdc',
  'monaco',
  'monacoRunAdditionalDeps',
  'monacoTypesAdditionalPackages',
  'monacoTypesSource',
  'overviewSnapshots',
  'plantUmlServer',
  'presenter',
  'record',
  'remoteAssets',
  'routerMode',
  'selectable',
  'seoMeta',
  'themeConfig',
  'timer',
  'titleTemplate',
  'twoslash',
  'unocss',
  'wakeLock',
];
const slidevSlide = [
  'background',
  'backgroundSize',
  'clicks',
  'clicksStart',
  'disabled',
  'dragPos',
  'hide',
  'hideInToc',
  'image',
  'layout',
  'level',
  'preload',
  'routeAlias',
  'src',
  'url',
  'zoom',
];
const quarto = [
  'aliases',
  'appendix-style',
  'cache',
  'categories',
  'citation',
  'comments',
  'copyright',
  'crossref',
  'date-modified',
  'draft',
  'echo',
  'editor_options',
  'engines',
  'fig-align',
  'freeze',
  'funding',
  'google-scholar',
  'license',
  'lightbox',
  'mermaid',
  'nocite',
  'order',
  'reference-location',
  'resources',
  'search',
  'title-block-banner',
  'warning',
];
const quartoPrefixes =
  /^(fig|tbl|code|callout|toc|link|title-block|citation|cap|crossref|reference|html|pdf|revealjs)-/;
const revealMd = [
  'revealOptions',
  'parallaxBackgroundImage',
  'parallaxBackgroundSize',
  'enableChalkboard',
  'enableMenu',
];
const marp = ['inlineSVG', 'lang', 'looseYAML', 'headingDivider', 'math'];

const owners = new Map<string, string>();
for (const [tool, keys] of [
  ['Slidev', [...slidevDeck, ...slidevSlide]],
  ['Quarto', quarto],
  ['reveal-md', revealMd],
  ['Marp', marp],
] as const) {
  for (const key of keys) if (!owners.has(key)) owners.set(key, tool);
}

/** The tool known to read a front-matter key, when one is. */
export function toolReading(key: string): string | undefined {
  const top = key.split('.')[0]!;
  if (owners.has(top)) return owners.get(top);
  if (quartoPrefixes.test(top)) return 'Quarto';
  // R Markdown's and RStudio's keys are written with underscores.
  if (/^[a-z]+(_[a-z]+)+$/.test(top)) return 'R Markdown';
  return undefined;
}
