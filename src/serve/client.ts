/**
 * The script `lectern serve` adds to every page: it listens for rebuilds over Server-Sent
 * Events, reloads the page onto the same slide and fragment, and shows build errors in an
 * overlay until the next good save.
 */
export const liveReloadScript = `(() => {
  const deck = decodeURIComponent(location.pathname.split('/')[1] || '');
  const key = 'lectern-state:' + location.pathname;
  const reveal = () => window.Reveal && window.Reveal.isReady && window.Reveal.isReady() ? window.Reveal : null;

  // Back on the slide and fragment shown before the reload.
  const saved = sessionStorage.getItem(key);
  if (saved) {
    sessionStorage.removeItem(key);
    const restore = () => { try { window.Reveal.setState(JSON.parse(saved)); } catch (e) {} };
    if (reveal()) restore();
    else if (window.Reveal && window.Reveal.on) window.Reveal.on('ready', restore);
  }

  let overlay = null;
  const show = (text) => {
    if (!overlay) {
      overlay = document.createElement('pre');
      overlay.id = 'lectern-error';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;z-index:2147483647;left:0;right:0;bottom:0;margin:0;max-height:60vh;overflow:auto;' +
        'padding:16px 20px;background:#2b0b0b;color:#ffe4e4;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;' +
        'white-space:pre-wrap;border-top:4px solid #ff6b6b';
      document.body.appendChild(overlay);
    }
    overlay.textContent = 'Lectern could not rebuild: still showing the last good build.\\n\\n' + text;
  };
  const clear = () => { if (overlay) { overlay.remove(); overlay = null; } };

  const events = new EventSource('/__lectern/events?deck=' + encodeURIComponent(deck));
  const mine = (data) => data.deck === '*' || data.deck === deck || deck === '';
  const reload = () => {
    const r = reveal();
    if (r) sessionStorage.setItem(key, JSON.stringify(r.getState()));
    location.reload();
  };
  // What must match for the slides to be swapped in place: stylesheets, inline styles and
  // scripts (the Reveal.js configuration), and the classes of the deck element.
  const shape = (doc) =>
    [...doc.querySelectorAll('head link[rel=stylesheet], head style')].map((e) => e.outerHTML).join('') +
    [...doc.querySelectorAll('script:not([src])')].map((e) => e.textContent).join('') +
    (doc.querySelector('.reveal') || {}).className;
  // The quick way: fetch the new page and swap its slides into this one, on the same slide and
  // fragment. Anything else changed (theme, configuration) reloads the whole page.
  const refresh = async () => {
    const r = reveal();
    if (!r || !deck) return reload();
    try {
      const res = await fetch(location.pathname, { cache: 'no-store' });
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = doc.querySelector('.reveal .slides');
      if (!res.ok || !fresh || shape(doc) !== shape(document)) return reload();
      const state = r.getState();
      document.querySelector('.reveal .slides').innerHTML = fresh.innerHTML;
      document.title = doc.title;
      r.sync();
      r.setState(state);
      window.dispatchEvent(new CustomEvent('lectern:refreshed'));
    } catch (err) {
      reload();
    }
  };
  events.addEventListener('reload', (e) => {
    const data = JSON.parse(e.data);
    if (mine(data)) refresh();
  });
  events.addEventListener('problem', (e) => { const data = JSON.parse(e.data); if (mine(data)) show(data.text); });
  events.addEventListener('clear', (e) => { const data = JSON.parse(e.data); if (mine(data)) clear(); });
})();
`;
