import { clippedName, measureSlide } from '../browser/measure-slide.js';

/** Where the page's script and its event stream are served. */
export const CLIENT_PATH = '/__lectern/client.js';
export const EVENTS_PATH = '/__lectern/events';

/** A message to the open pages: reload one deck (or all), show an error or clear it, list the deck's check findings. */
export interface LiveEvent {
  type: 'reload' | 'problem' | 'clear' | 'findings';
  /** The deck it is about, or '*' for every deck. */
  deck: string;
  text?: string;
  /** For `findings`: the deck file, as the terminal shows it. */
  file?: string;
  /** For `findings`: each one as the terminal prints it. */
  items?: { severity: 'warning' | 'error'; text: string }[];
}

/** The part of Reveal.js's API the client uses. */
interface RevealApi {
  isReady: () => boolean;
  on: (event: string, listener: () => void) => void;
  getState: () => unknown;
  setState: (state: unknown) => void;
  getCurrentSlide: () => HTMLElement | undefined;
  getScale: () => number;
  sync: () => void;
}

/**
 * The script `lectern serve` adds to every page: it listens for rebuilds over Server-Sent
 * Events, reloads the page onto the same slide and fragment, shows build errors in an overlay
 * until the next good save, and lists the deck's check findings in a small panel, with the
 * current slide's overflow measured live in this browser.
 *
 * Runs in the page, as its source text: it uses nothing from outside its body but its arguments.
 */
function liveReload(measure: typeof measureSlide, nameClipped: typeof clippedName, eventsPath: string): void {
  const deck = decodeURIComponent(location.pathname.split('/')[1] || '');
  const key = `lectern-state:${location.pathname}`;
  const api = (): Partial<RevealApi> | undefined => (window as unknown as { Reveal?: Partial<RevealApi> }).Reveal;
  const reveal = (): RevealApi | null => {
    const r = api();
    return r?.isReady?.() ? (r as RevealApi) : null;
  };

  // Back on the slide and fragment shown before the reload.
  const saved = sessionStorage.getItem(key);
  if (saved) {
    sessionStorage.removeItem(key);
    const restore = (): void => {
      try {
        api()?.setState?.(JSON.parse(saved));
      } catch {
        // A state from another version of the deck: stay on the first slide.
      }
    };
    if (reveal()) restore();
    else api()?.on?.('ready', restore);
  }

  let overlay: HTMLPreElement | null = null;
  const show = (text: string): void => {
    if (!overlay) {
      overlay = document.createElement('pre');
      overlay.id = 'lectern-error';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText =
        'position:fixed;z-index:2147483647;left:0;right:0;bottom:0;margin:0;max-height:60vh;overflow:auto;' +
        'padding:16px 20px;background:#2b0b0b;color:#ffe4e4;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;' +
        'white-space:pre-wrap;border-top:4px solid #ff6b6b';
      document.body.appendChild(overlay);
    }
    overlay.textContent = `Lectern could not rebuild: still showing the last good build.\n\n${text}`;
  };
  const clear = (): void => {
    overlay?.remove();
    overlay = null;
  };

  // The check panel: a badge in the bottom-left corner that opens the list of findings.
  type Item = NonNullable<LiveEvent['items']>[number];
  let findings: Item[] = [];
  let file = deck;
  let live: string | null = null;
  let panel: HTMLDivElement | null = null;
  let open = false;
  const drawPanel = (): void => {
    const items: Item[] = [...(live ? [{ severity: 'warning' as const, text: live }] : []), ...findings];
    if (items.length === 0) {
      panel?.remove();
      panel = null;
      return;
    }
    if (!panel) {
      panel = document.createElement('div');
      panel.id = 'lectern-check';
      panel.style.cssText =
        'position:fixed;z-index:2147483646;left:8px;bottom:8px;max-width:min(720px,90vw);' +
        'font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;color:#1d232b';
      document.body.appendChild(panel);
    }
    const errors = items.filter((i) => i.severity === 'error').length;
    const warnings = items.length - errors;
    const label = [
      errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
      warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    panel.replaceChildren();
    const badge = document.createElement('button');
    badge.type = 'button';
    badge.textContent = `${open ? '▾ ' : '▸ '}lectern check: ${label}`;
    badge.setAttribute('aria-expanded', String(open));
    badge.style.cssText = `font:inherit;border:0;border-radius:4px;padding:4px 10px;cursor:pointer;color:#fff;background:${errors ? '#a4161a' : '#7a4a00'}`;
    badge.addEventListener('click', () => {
      open = !open;
      drawPanel();
    });
    panel.appendChild(badge);
    if (!open) return;
    const list = document.createElement('pre');
    list.style.cssText =
      'margin:4px 0 0;padding:10px 12px;max-height:40vh;overflow:auto;white-space:pre-wrap;background:#fffbe6;border:1px solid #d9c27a;border-radius:4px';
    list.textContent = items.map((i) => i.text).join('\n');
    panel.appendChild(list);
  };
  // The slide on screen, measured in this browser whenever what it shows changes.
  const measureCurrent = (): void => {
    const r = reveal();
    const slide = r?.getCurrentSlide();
    if (!r || !slide?.hasAttribute('data-lectern-slide')) return;
    const m = measure(slide, r.getScale() || 1);
    const n = Number(slide.getAttribute('data-lectern-slide')) + 1;
    const line = slide.getAttribute('data-source-line');
    const where = file + (line ? `:${line}:1` : '');
    const parts: string[] = [];
    const from = m.firstLineOutside ? `: line ${m.firstLineOutside} on is off the slide` : '';
    if (m.down > 1)
      parts.push(`overflows by ${Math.round(m.down)}px (${Math.round((m.down / m.height) * 100)}%)${from}`);
    if (m.sideways > 1) parts.push(`overflows sideways by ${Math.round(m.sideways)}px`);
    for (const c of m.clipped) parts.push(`${nameClipped(c.element)} is cut off by ${Math.round(c.by)}px`);
    live = parts.length ? `${where}: slide ${n} ${parts.join('; ')} (measured in this browser)` : null;
    drawPanel();
  };
  const watchSlides = (): void => {
    const r = reveal();
    if (!r) return;
    for (const name of ['slidechanged', 'fragmentshown', 'fragmenthidden', 'resize']) r.on(name, measureCurrent);
    window.addEventListener('lectern:refreshed', measureCurrent);
    void document.fonts.ready.then(measureCurrent);
  };
  if (reveal()) watchSlides();
  else api()?.on?.('ready', watchSlides);

  const events = new EventSource(`${eventsPath}?deck=${encodeURIComponent(deck)}`);
  const mine = (data: LiveEvent): boolean => data.deck === '*' || data.deck === deck || deck === '';
  const reload = (): void => {
    const r = reveal();
    if (r) sessionStorage.setItem(key, JSON.stringify(r.getState()));
    location.reload();
  };
  // What must match for the slides to be swapped in place: stylesheets, inline styles and
  // scripts (the Reveal.js configuration), and the classes of the deck element.
  const shape = (doc: Document): string =>
    [...doc.querySelectorAll('head link[rel=stylesheet], head style')].map((e) => e.outerHTML).join('') +
    [...doc.querySelectorAll('script:not([src])')].map((e) => e.textContent).join('') +
    (doc.querySelector('.reveal')?.className ?? 'undefined');
  // The quick way: fetch the new page and swap its slides into this one, on the same slide and
  // fragment. Anything else changed (theme, configuration) reloads the whole page.
  const refresh = async (): Promise<void> => {
    const r = reveal();
    const slides = document.querySelector('.reveal .slides');
    if (!r || !deck || !slides) return reload();
    try {
      const res = await fetch(location.pathname, { cache: 'no-store' });
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = doc.querySelector('.reveal .slides');
      if (!res.ok || !fresh || shape(doc) !== shape(document)) return reload();
      const state = r.getState();
      slides.innerHTML = fresh.innerHTML;
      document.title = doc.title;
      r.sync();
      r.setState(state);
      window.dispatchEvent(new CustomEvent('lectern:refreshed'));
    } catch {
      reload();
    }
  };
  const on = (type: LiveEvent['type'], handle: (data: LiveEvent) => void): void =>
    events.addEventListener(type, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as LiveEvent));
  on('reload', (data) => {
    if (mine(data)) void refresh();
  });
  on('problem', (data) => {
    if (mine(data)) show(data.text ?? '');
  });
  on('clear', (data) => {
    if (mine(data)) clear();
  });
  on('findings', (data) => {
    if (data.deck !== deck) return;
    findings = data.items ?? [];
    if (data.file) file = data.file;
    drawPanel();
  });
}

/** The client as the page loads it: the function's own source, called with what it needs. */
export const liveReloadScript = `(${liveReload.toString()})(${measureSlide.toString()}, ${clippedName.toString()}, ${JSON.stringify(EVENTS_PATH)});\n`;
