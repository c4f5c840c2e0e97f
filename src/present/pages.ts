import { escapeHtml } from '../html.js';

/*
 * The two pages Lectern writes for a talk (the audience's is the deck itself). Each loads only its
 * own script, from beside it, so its Content-Security-Policy can forbid every other.
 */

const shared = `
  :root { color-scheme: dark; --bg: #101418; --panel: #1b2127; --line: #2d3640; --text: #e8edf2; --dim: #9aa7b4; --accent: #4cc2a8; --warn: #ffb347; }
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; background: var(--bg); color: var(--text); font: 16px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  button { font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; cursor: pointer; }
  button[aria-pressed="true"] { background: var(--accent); color: #06231c; border-color: var(--accent); }
  .notes { overflow: auto; line-height: 1.5; }
  .notes :first-child { margin-top: 0; }
  .timer { font-variant-numeric: tabular-nums; font-weight: 600; }
  .offline { color: var(--warn); }
`;

/** The speaker's page on the laptop: the current slide (driven here), the next, the notes, the timer, the pens. */
export function presenterPage(title: string, qr: { audience: string; remote: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Presenter: ${escapeHtml(title)}</title>
<style>${shared}
  body { display: grid; grid-template-rows: auto 1fr; }
  header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--line); }
  header .spacer { flex: 1; }
  header .group { display: flex; gap: 6px; align-items: center; }
  #counter { color: var(--dim); }
  main { display: grid; grid-template-columns: 3fr 2fr; gap: 12px; padding: 12px; min-height: 0; }
  #current-box { position: relative; min-height: 0; }
  #current { width: 100%; height: 100%; border: 1px solid var(--line); border-radius: 6px; background: #000; }
  aside { display: grid; grid-template-rows: auto minmax(0, 2fr) auto minmax(0, 3fr); gap: 6px; min-height: 0; }
  .label { color: var(--dim); font-size: 13px; text-transform: uppercase; letter-spacing: .06em; }
  #next { width: 100%; height: 100%; border: 1px solid var(--line); border-radius: 6px; background: #000; pointer-events: none; }
  #end { display: none; }
  #notes { background: var(--panel); border-radius: 6px; padding: 12px 14px; font-size: 20px; }
  .overlay { position: fixed; inset: 0; display: none; place-items: center; background: rgba(0,0,0,.8); z-index: 10; }
  .overlay.shown { display: grid; }
  .overlay figure { margin: 0; padding: 20px; background: #fff; color: #111; border-radius: 12px; text-align: center; max-width: 70vw; }
  .overlay svg { width: min(60vh, 60vw); height: auto; display: block; margin: auto; }
</style>
</head>
<body>
<header>
  <strong id="title">${escapeHtml(title)}</strong>
  <span id="counter"></span>
  <span class="spacer"></span>
  <span class="group"><span class="timer" id="timer">0:00</span><span id="pace"></span>
    <button type="button" id="timer-toggle" title="Start or pause the timer">Pause</button>
    <button type="button" id="timer-reset" title="Reset the timer">Reset</button></span>
  <span class="group" role="toolbar" aria-label="Drawing">
    <button type="button" data-tool="pen" aria-pressed="false" title="Pen (D)">Pen</button>
    <button type="button" data-tool="highlighter" aria-pressed="false" title="Highlighter (M)">Highlighter</button>
    <button type="button" data-tool="eraser" aria-pressed="false" title="Eraser (X)">Eraser</button>
    <button type="button" id="clear" title="Clear this slide's drawing (C)">Clear</button></span>
  <span class="group">
    <button type="button" id="blank" aria-pressed="false" title="Blank the screen (B or .)">Blank</button>
    <button type="button" id="qr-toggle" aria-pressed="false" title="Show the audience's QR code on every screen (Q)">QR</button>
    <button type="button" id="remote-toggle" aria-pressed="false" title="The remote's QR code, on this screen only">Phone remote</button></span>
  <span id="viewers" class="label"></span>
  <span id="link" class="label"></span>
</header>
<main>
  <div id="current-box"><iframe id="current" title="Current slide" src="deck/index.html"></iframe></div>
  <aside>
    <div class="label">Next <span id="end">(end of the talk)</span></div>
    <iframe id="next" title="Next slide" src="deck/index.html" tabindex="-1"></iframe>
    <div class="label">Notes</div>
    <div id="notes" class="notes" aria-live="polite"></div>
  </aside>
</main>
<div id="qr" class="overlay"><figure>${qr.audience}<figcaption>Follow the slides on your phone</figcaption></figure></div>
<div id="remote-qr" class="overlay"><figure>${qr.remote}<figcaption>Scan with your phone to use it as the remote. Only on this screen: whoever has this address can drive the talk.</figcaption></figure></div>
<script src="__lectern/client.js"></script>
</body>
</html>
`;
}

/** The phone in the speaker's hand: next and previous, blank, the notes and the timer. */
export function remotePage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
<meta name="referrer" content="no-referrer">
<title>Remote: ${escapeHtml(title)}</title>
<style>${shared}
  body { display: grid; grid-template-rows: auto auto 1fr auto; gap: 10px; padding: 12px; height: 100dvh; }
  .top { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
  #title { font-weight: 600; }
  #counter, #link { color: var(--dim); }
  .timer { font-size: 28px; }
  #notes { background: var(--panel); border-radius: 10px; padding: 12px 14px; font-size: 19px; min-height: 0; }
  .pad { display: grid; grid-template-columns: 1fr 2fr; gap: 10px; }
  .pad button { min-height: 96px; font-size: 22px; border-radius: 14px; touch-action: manipulation; }
  #next { background: var(--accent); color: #06231c; border-color: var(--accent); font-weight: 700; }
  .row { display: flex; gap: 8px; }
  .row button { flex: 1; min-height: 48px; }
</style>
</head>
<body>
<div class="top"><span id="title"></span><span id="counter"></span></div>
<div class="top"><span class="timer" id="timer">0:00</span><span id="link"></span></div>
<div id="notes" class="notes" aria-live="polite"></div>
<div>
  <div class="pad"><button type="button" id="prev">◀ Back</button><button type="button" id="next">Next ▶</button></div>
  <div class="row" style="margin-top:10px">
    <button type="button" id="blank" aria-pressed="false">Blank</button>
    <button type="button" id="qr-toggle" aria-pressed="false">QR</button>
    <button type="button" id="timer-toggle">Pause</button>
  </div>
</div>
<script src="__lectern/client.js"></script>
</body>
</html>
`;
}
