import type { View } from './tokens.js';

/*
 * The scripts of a talk's pages. Each runs in the page as its source text: it uses nothing from
 * outside its body but its arguments (the ink layer is passed in the same way).
 */

/** A stroke as the pages hold it (the server checks each one it is sent). */
interface Stroke {
  id: string;
  tool: 'pen' | 'highlighter';
  color: string;
  width: number;
  points: [number, number][];
}

/** A change of the drawing as the talk sends it: a slide's strokes, one added, or some removed. */
interface InkChange {
  slide: number;
  strokes?: Stroke[];
  add?: Stroke;
  remove?: string[];
}

/** Applies a change to the strokes kept by slide; returns the slide's strokes after it. */
function inkChange(bySlide: Map<number, Stroke[]>, change: InkChange): Stroke[] {
  const before = bySlide.get(change.slide) ?? [];
  const added = change.add;
  const after = change.strokes
    ? change.strokes
    : added
      ? [...before.filter((s) => s.id !== added.id), added]
      : before.filter((s) => !(change.remove ?? []).includes(s.id));
  bySlide.set(change.slide, after);
  return after;
}

/** The part of Reveal.js's API the pages use. */
interface RevealApi {
  isReady: () => boolean;
  on: (event: string, listener: () => void) => void;
  getState: () => { indexh: number; indexv: number; indexf?: number | null; paused?: boolean };
  getCurrentSlide: () => HTMLElement | undefined;
  getConfig: () => { width: number | string; height: number | string; totalTime?: number };
  configure: (options: Record<string, unknown>) => void;
  slide: (h: number, v?: number, f?: number) => void;
  next: () => void;
  prev: () => void;
  togglePause: (pause?: boolean) => void;
  isPaused: () => boolean;
  isLastSlide: () => boolean;
  availableFragments: () => { prev: boolean; next: boolean };
}

/** The state event's data: where the talk is, and for the speaker's views the notes. */
interface TalkState {
  indexh: number;
  indexv: number;
  indexf: number;
  paused: boolean;
  slide: number;
  seq: number;
  qr: boolean;
  slideCount: number;
  timer: { running: boolean; elapsedMs: number };
  title?: string;
  notes?: string;
  nextTitle?: string | null;
  /** The presenter page that set the position. */
  by?: string;
}

/**
 * The drawing over a deck's slides in one window: an SVG in Reveal's slide box, in the deck's
 * pixels, showing the strokes of the slide on screen (and the one being drawn).
 */
function inkLayer(win: Window) {
  const doc = win.document;
  const ns = 'http://www.w3.org/2000/svg';
  const bySlide = new Map<number, Stroke[]>();
  let svg: SVGSVGElement | null = null;
  const reveal = (): RevealApi | undefined => (win as unknown as { Reveal?: RevealApi }).Reveal;
  const size = (): { width: number; height: number } => {
    const config = reveal()?.getConfig();
    return { width: Number(config?.width) || 960, height: Number(config?.height) || 700 };
  };
  const current = (): number => {
    const slide = reveal()?.getCurrentSlide();
    return slide?.hasAttribute('data-lectern-slide') ? Number(slide.getAttribute('data-lectern-slide')) + 1 : 0;
  };
  const pathOf = (stroke: Stroke): SVGPathElement => {
    const path = doc.createElementNS(ns, 'path');
    const [first, ...rest] = stroke.points;
    const at = (p: [number, number]): string => `${p[0]} ${p[1]}`;
    path.setAttribute(
      'd',
      first ? `M${at(first)}${(rest.length ? rest : [first]).map((p) => ` L${at(p)}`).join('')}` : '',
    );
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', stroke.color);
    path.setAttribute('stroke-width', String(stroke.width));
    path.setAttribute('stroke-opacity', stroke.tool === 'highlighter' ? '0.4' : '1');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    path.setAttribute('data-stroke', stroke.id);
    return path;
  };
  const draw = (live?: Stroke | null): void => {
    const box = doc.querySelector('.reveal .slides');
    if (!box) return;
    if (!svg?.isConnected) {
      const { width, height } = size();
      svg = doc.createElementNS(ns, 'svg');
      svg.setAttribute('class', 'lectern-ink');
      svg.setAttribute('aria-hidden', 'true');
      svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
      svg.style.cssText =
        'position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none;z-index:40;overflow:visible';
      box.appendChild(svg);
    }
    const strokes = [...(bySlide.get(current()) ?? []), ...(live ? [live] : [])];
    svg.replaceChildren(...strokes.map(pathOf));
    svg.setAttribute('data-slide', String(current()));
  };
  return {
    draw,
    current,
    size,
    strokesOf: (slide: number): Stroke[] => bySlide.get(slide) ?? [],
    set(slide: number, strokes: Stroke[]): void {
      bySlide.set(slide, strokes);
      if (slide === current()) draw();
    },
    /** A point of the window (client pixels) in the deck's pixels. */
    toDeck(x: number, y: number): [number, number] {
      const box = doc.querySelector('.reveal .slides')!.getBoundingClientRect();
      const { width, height } = size();
      return [
        Math.round(((x - box.left) / box.width) * width * 10) / 10,
        Math.round(((y - box.top) / box.height) * height * 10) / 10,
      ];
    },
  };
}

type InkLayer = ReturnType<typeof inkLayer>;

/** Calls `then` once the window's Reveal.js is ready. */
function whenReady(win: Window, then: (reveal: RevealApi) => void): void {
  const attempt = (): void => {
    const reveal = (win as unknown as { Reveal?: RevealApi }).Reveal;
    if (reveal?.isReady?.()) then(reveal);
    else if (reveal?.on) reveal.on('ready', () => then(reveal));
    else win.addEventListener('load', attempt, { once: true });
  };
  attempt();
}

/** The audience's page (the deck without notes): follows the talk, shows the drawing and the QR code. */
function audienceClient(
  api: string,
  makeInk: typeof inkLayer,
  ready: typeof whenReady,
  change: typeof inkChange,
): void {
  const ink = makeInk(window);
  const drawn = new Map<number, Stroke[]>();
  let state: TalkState | null = null;
  let reveal: RevealApi | null = null;
  const badge = document.createElement('div');
  badge.id = 'lectern-follow';
  badge.setAttribute('role', 'status');
  badge.style.cssText =
    'position:fixed;z-index:2147483000;right:10px;top:10px;padding:3px 10px;border-radius:12px;font:12px/1.6 system-ui,sans-serif;background:rgba(0,0,0,.55);color:#fff;pointer-events:none;transition:opacity .6s';
  // Said for a moment when the page joins, and for as long as the link is lost.
  let fade: ReturnType<typeof setTimeout> | undefined;
  const say = (text: string, stay: boolean): void => {
    badge.textContent = text;
    badge.style.opacity = '1';
    clearTimeout(fade);
    if (!stay) fade = setTimeout(() => (badge.style.opacity = '0'), 4000);
  };
  const qr = document.createElement('div');
  qr.id = 'lectern-qr';
  qr.style.cssText =
    'position:fixed;z-index:2147483001;inset:0;display:none;place-items:center;background:rgba(0,0,0,.78)';
  qr.innerHTML = `<figure style="margin:0;padding:20px;background:#fff;border-radius:12px;text-align:center;font:20px system-ui,sans-serif;color:#111"><img alt="QR code of this page's address" src="${api}/qr.svg" style="width:min(60vh,60vw);display:block"><figcaption>Follow the slides on your phone</figcaption></figure>`;
  const apply = (): void => {
    if (!reveal || !state) return;
    reveal.slide(state.indexh, state.indexv, state.indexf);
    if (reveal.isPaused() !== state.paused) reveal.togglePause(state.paused);
    qr.style.display = state.qr ? 'grid' : 'none';
    ink.draw();
    document.documentElement.dataset.lecternSlide = String(state.slide + 1);
    document.documentElement.dataset.lecternSeq = String(state.seq);
  };
  ready(window, (r) => {
    // Read-only: the speaker drives; this page only follows.
    // The slide on screen, never the scrolling view a narrow phone would otherwise get.
    r.configure({
      keyboard: false,
      touch: false,
      controls: false,
      overview: false,
      help: false,
      hash: false,
      scrollActivationWidth: 0,
    });
    r.on('slidechanged', () => ink.draw());
    reveal = r;
    document.body.append(badge, qr);
    apply();
  });
  // Full screen is the one thing a viewer may do: F or a double tap.
  const full = (): void => {
    if (!document.fullscreenElement) void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };
  window.addEventListener('keydown', (e) => {
    if (e.key === 'f' || e.key === 'F') full();
  });
  window.addEventListener('dblclick', full);
  const events = new EventSource(`${api}/events`);
  events.addEventListener('open', () => say('● following the speaker', false));
  events.addEventListener('error', () => say('reconnecting…', true));
  events.addEventListener('state', (e) => {
    const next = JSON.parse((e as MessageEvent<string>).data) as TalkState;
    if (state && next.seq < state.seq) return;
    state = next;
    apply();
  });
  events.addEventListener('ink', (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as InkChange;
    ink.set(data.slide, change(drawn, data));
  });
}

/** Minutes and seconds, as the timers show them. */
function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Posts a message to the talk; the answer's status, 0 when the server cannot be reached. */
function poster(api: string): (message: Record<string, unknown>) => Promise<number> {
  return (message) =>
    fetch(`${api}/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    })
      .then((r) => r.status)
      .catch(() => 0);
}

/**
 * The presenter's page: drives the deck in the large frame (keys, clicker, buttons, the remote's
 * commands), reports every step to the talk, previews the next step, shows notes, timer, pace,
 * and draws with pen, highlighter and eraser.
 */
function presenterClient(
  api: string,
  makeInk: typeof inkLayer,
  ready: typeof whenReady,
  showClock: typeof clock,
  makePost: typeof poster,
  change: typeof inkChange,
): void {
  const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const frame = $<HTMLIFrameElement>('current');
  const preview = $<HTMLIFrameElement>('next');
  const post = makePost(api);
  let reveal: RevealApi | null = null;
  let next: RevealApi | null = null;
  let ink: InkLayer | null = null;
  let state: TalkState | null = null;
  let timerAt = performance.now();
  let tool: 'pen' | 'highlighter' | 'eraser' | null = null;
  let overlay: HTMLDivElement | null = null;
  const strokes = new Map<number, Stroke[]>();
  // This page's name: the talk says which page moved it, and the others follow that page.
  const me = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(36)).join('');

  const slideNumber = (): number => ink?.current() ?? 0;
  // Set while this page moves to where another page took the talk: that move is not reported
  // back (it would race the other page's next step).
  let following = false;
  // Steps of this page's on their way to the talk: until they are in, its place is not the talk's.
  let inFlight = 0;
  const report = (): void => {
    if (!reveal) return;
    const s = reveal.getState();
    // Where the talk already is (this page followed another there, perhaps with Reveal.js's
    // events arriving later): nothing to report, which would race the other page's next step.
    const known =
      inFlight === 0 &&
      state !== null &&
      state.indexh === s.indexh &&
      state.indexv === (s.indexv ?? 0) &&
      state.indexf === (typeof s.indexf === 'number' ? s.indexf : -1) &&
      state.paused === Boolean(s.paused);
    if (following || known) {
      showPreview();
      ink?.draw();
      return;
    }
    const slide = slideNumber() - 1;
    inFlight++;
    void post({
      type: 'state',
      indexh: s.indexh,
      indexv: s.indexv ?? 0,
      indexf: typeof s.indexf === 'number' ? s.indexf : -1,
      paused: Boolean(s.paused),
      slide: Math.max(0, slide),
      by: me,
    }).finally(() => inFlight--);
    showPreview();
    ink?.draw();
  };
  const showPreview = (): void => {
    if (!reveal || !next) return;
    const s = reveal.getState();
    next.slide(s.indexh, s.indexv ?? 0, typeof s.indexf === 'number' ? s.indexf : -1);
    const before = JSON.stringify(next.getState());
    next.next();
    $('end').style.display = JSON.stringify(next.getState()) === before ? 'inline' : 'none';
  };
  const act = (action: string): void => {
    if (!reveal) return;
    if (action === 'next') reveal.next();
    else if (action === 'prev') reveal.prev();
    else if (action === 'pause') reveal.togglePause(true);
    else if (action === 'resume') reveal.togglePause(false);
    else if (action === 'blank') reveal.togglePause();
    else if (action === 'first') reveal.slide(0, 0, -1);
  };

  // Keys the page itself answers, in either document: the pens, the QR code, clearing a slide.
  const ownKey = (e: KeyboardEvent): boolean => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const k = e.key.toLowerCase();
    if (k === 'q') toggleQr();
    else if (k === 'd') setTool('pen');
    else if (k === 'm') setTool('highlighter');
    else if (k === 'x') setTool('eraser');
    else if (k === 'c') clearSlide();
    else if (k === 'escape' && tool) setTool(null);
    else return false;
    e.preventDefault();
    e.stopImmediatePropagation();
    return true;
  };
  // Keys pressed on this page (not in the slide's frame) drive the deck as a clicker would.
  document.addEventListener('keydown', (e) => {
    if (ownKey(e) || !reveal) return;
    const k = e.key;
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'n', 'N', 'Enter'].includes(k)) act('next');
    else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'p', 'P', 'Backspace'].includes(k)) act('prev');
    else if (['b', 'B', '.', '/'].includes(k)) act('blank');
    else if (k === 'Home') act('first');
    else return;
    e.preventDefault();
  });

  const setTool = (chosen: typeof tool): void => {
    tool = chosen === tool ? null : chosen;
    for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-tool]')))
      b.setAttribute('aria-pressed', String(b.dataset.tool === tool));
    placeOverlay();
  };
  const placeOverlay = (): void => {
    const doc = frame.contentDocument;
    if (!tool || !doc?.body) {
      overlay?.remove();
      overlay = null;
      return;
    }
    if (overlay?.isConnected) {
      overlay.style.cursor = tool === 'eraser' ? 'cell' : 'crosshair';
      return;
    }
    overlay = doc.createElement('div');
    overlay.id = 'lectern-draw';
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483000;touch-action:none;cursor:crosshair';
    let live: Stroke | null = null;
    let erasing = false;
    const looks = { pen: { color: '#e0245e', width: 4 }, highlighter: { color: '#ffd400', width: 22 } };
    const newId = (): string => {
      const bytes = new Uint8Array(9);
      crypto.getRandomValues(bytes);
      return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    };
    const eraseAt = (p: [number, number]): void => {
      const slide = slideNumber();
      const list = strokes.get(slide) ?? [];
      const hit = list.filter((s) => s.points.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < 12 + s.width / 2));
      if (!hit.length) return;
      const ids = hit.map((s) => s.id);
      strokes.set(
        slide,
        list.filter((s) => !ids.includes(s.id)),
      );
      ink?.set(slide, strokes.get(slide)!);
      void post({ type: 'erase', slide, ids });
    };
    overlay.addEventListener('pointerdown', (e) => {
      if (!ink || !tool) return;
      overlay!.setPointerCapture(e.pointerId);
      const p = ink.toDeck(e.clientX, e.clientY);
      if (tool === 'eraser') {
        erasing = true;
        eraseAt(p);
      } else {
        live = { id: newId(), tool, ...looks[tool], points: [p] };
        ink.draw(live);
      }
      e.preventDefault();
    });
    overlay.addEventListener('pointermove', (e) => {
      if (!ink) return;
      const p = ink.toDeck(e.clientX, e.clientY);
      if (erasing) eraseAt(p);
      else if (live) {
        const last = live.points[live.points.length - 1]!;
        if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= 1.5 && live.points.length < 5000) live.points.push(p);
        ink.draw(live);
      }
    });
    const finish = (): void => {
      erasing = false;
      if (!live || !ink) return;
      const slide = slideNumber();
      const stroke = live;
      live = null;
      ink.set(slide, change(strokes, { slide, add: stroke }));
      void post({ type: 'stroke', slide, stroke }).then((status) => {
        if (status === 204) return;
        // Not kept (the slide is full, or the server is gone): it does not stay on this screen alone.
        ink?.set(slide, change(strokes, { slide, remove: [stroke.id] }));
        $('link').textContent =
          status === 413 ? 'this slide holds all the drawing it can: clear it (C)' : 'stroke not kept';
      });
    };
    overlay.addEventListener('pointerup', finish);
    overlay.addEventListener('pointercancel', finish);
    doc.body.appendChild(overlay);
    placeOverlay();
  };
  const clearSlide = (): void => {
    const slide = slideNumber();
    if (!slide) return;
    strokes.set(slide, []);
    ink?.set(slide, []);
    void post({ type: 'clear', slide });
  };
  const toggleQr = (): void => {
    void post({ type: 'qr', show: !(state?.qr ?? false) });
  };
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-tool]')))
    b.addEventListener('click', () => setTool(b.dataset.tool as typeof tool));
  $('clear').addEventListener('click', clearSlide);
  $('blank').addEventListener('click', () => act('blank'));
  $('qr-toggle').addEventListener('click', toggleQr);
  $('qr').addEventListener('click', toggleQr);
  const toggleRemote = (): void => {
    const shown = $('remote-qr').classList.toggle('shown');
    $('remote-toggle').setAttribute('aria-pressed', String(shown));
  };
  $('remote-toggle').addEventListener('click', toggleRemote);
  $('remote-qr').addEventListener('click', toggleRemote);
  $('timer-reset').addEventListener('click', () => void post({ type: 'timer', action: 'reset' }));
  $('timer-toggle').addEventListener('click', () =>
    post({ type: 'timer', action: state?.timer.running ? 'pause' : 'start' }),
  );

  ready(preview.contentWindow!, (r) => {
    r.configure({
      controls: false,
      progress: false,
      keyboard: false,
      touch: false,
      hash: false,
      transition: 'none',
      backgroundTransition: 'none',
      scrollActivationWidth: 0,
    });
    next = r;
    showPreview();
  });
  // The frame is the deck: when it (re)loads, the talk's place and drawing come back to it.
  const attach = (): void => {
    ready(frame.contentWindow!, (r) => {
      reveal = r;
      ink = makeInk(frame.contentWindow!);
      for (const [slide, list] of strokes) ink.set(slide, list);
      r.configure({ hash: false, scrollActivationWidth: 0 });
      if (state && (state.slide > 0 || state.indexf >= 0)) r.slide(state.indexh, state.indexv, state.indexf);
      for (const name of ['slidechanged', 'fragmentshown', 'fragmenthidden', 'paused', 'resumed']) r.on(name, report);
      frame.contentWindow!.addEventListener('keydown', ownKey, true);
      frame.contentWindow!.focus();
      placeOverlay();
      report();
    });
  };
  frame.addEventListener('load', attach);
  if (frame.contentDocument?.readyState === 'complete') attach();

  const events = new EventSource(`${api}/events`);
  events.addEventListener('error', () => {
    $('link').textContent = 'server lost: reconnecting…';
    $('link').className = 'label offline';
  });
  events.addEventListener('open', () => {
    $('link').textContent = '';
  });
  events.addEventListener('state', (e) => {
    const s = JSON.parse((e as MessageEvent<string>).data) as TalkState;
    const first = state === null;
    state = s;
    timerAt = performance.now();
    $('notes').innerHTML = s.notes || '<p style="opacity:.6">No notes for this slide.</p>';
    $('counter').textContent = `slide ${s.slide + 1} of ${s.slideCount}`;
    $('blank').setAttribute('aria-pressed', String(s.paused));
    $('qr-toggle').setAttribute('aria-pressed', String(s.qr));
    $('qr').classList.toggle('shown', s.qr);
    $('timer-toggle').textContent = s.timer.running ? 'Pause' : 'Start';
    // Opened again mid-talk, or moved by another presenter page: back where the talk is.
    if (reveal && (first ? s.slide > 0 || s.indexf >= 0 : s.by !== undefined && s.by !== me)) {
      const here = reveal.getState();
      following = true;
      try {
        if (here.indexh !== s.indexh || (here.indexv ?? 0) !== s.indexv || (here.indexf ?? -1) !== s.indexf)
          reveal.slide(s.indexh, s.indexv, s.indexf);
        if (reveal.isPaused() !== s.paused) reveal.togglePause(s.paused);
      } finally {
        following = false;
      }
    }
    tick();
  });
  events.addEventListener('command', (e) =>
    act((JSON.parse((e as MessageEvent<string>).data) as { action: string }).action),
  );
  events.addEventListener('ink', (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as InkChange;
    ink?.set(data.slide, change(strokes, data));
  });
  events.addEventListener('viewers', (e) => {
    const v = JSON.parse((e as MessageEvent<string>).data) as { audience: number; remote: number };
    $('viewers').textContent = `${v.audience} following${v.remote ? `, ${v.remote} remote` : ''}`;
  });
  const tick = (): void => {
    if (!state) return;
    const elapsed = state.timer.elapsedMs + (state.timer.running ? performance.now() - timerAt : 0);
    $('timer').textContent = showClock(elapsed);
    const total = Number(reveal?.getConfig().totalTime) || 0;
    if (total > 0 && state.slideCount > 1) {
      // Where the talk should be by now, against where it is: slides ahead (+) or behind (−).
      const due = (elapsed / 1000 / total) * state.slideCount;
      const by = Math.round(state.slide + 1 - due);
      $('pace').textContent = by === 0 ? ' on time' : by > 0 ? ` ${by} ahead` : ` ${-by} behind`;
      $('pace').className = by < 0 ? 'offline' : '';
    }
  };
  setInterval(tick, 500);
}

/** The phone as a remote: next and previous, blank, the QR code, the notes and the timer. */
function remoteClient(api: string, showClock: typeof clock, makePost: typeof poster): void {
  const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const post = makePost(api);
  let state: TalkState | null = null;
  let timerAt = performance.now();
  const go = (action: string): void => {
    void post({ type: 'go', action }).then((status) => {
      $('link').textContent = status === 409 ? 'open the presenter view first' : status === 0 ? 'no connection' : '';
    });
  };
  $('next').addEventListener('click', () => go('next'));
  $('prev').addEventListener('click', () => go('prev'));
  $('blank').addEventListener('click', () => go(state?.paused ? 'resume' : 'pause'));
  $('qr-toggle').addEventListener('click', () => void post({ type: 'qr', show: !(state?.qr ?? false) }));
  $('timer-toggle').addEventListener('click', () =>
    post({ type: 'timer', action: state?.timer.running ? 'pause' : 'start' }),
  );
  document.addEventListener('keydown', (e) => {
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key)) go('next');
    else if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key)) go('prev');
  });
  const events = new EventSource(`${api}/events`);
  events.addEventListener('error', () => {
    $('link').textContent = 'reconnecting…';
  });
  events.addEventListener('open', () => {
    $('link').textContent = '';
  });
  events.addEventListener('state', (e) => {
    const s = JSON.parse((e as MessageEvent<string>).data) as TalkState;
    state = s;
    timerAt = performance.now();
    $('title').textContent = s.title ?? '';
    $('counter').textContent = `${s.slide + 1} / ${s.slideCount}`;
    $('notes').innerHTML = s.notes || '<p style="opacity:.6">No notes for this slide.</p>';
    $('blank').setAttribute('aria-pressed', String(s.paused));
    $('qr-toggle').setAttribute('aria-pressed', String(s.qr));
    $('timer-toggle').textContent = s.timer.running ? 'Pause' : 'Start';
    tick();
  });
  const tick = (): void => {
    if (!state) return;
    $('timer').textContent = showClock(state.timer.elapsedMs + (state.timer.running ? performance.now() - timerAt : 0));
  };
  setInterval(tick, 500);
}

/** The script of a view's page, as its source text called with what it needs. */
export function clientScript(view: View, api: string): string {
  const at = JSON.stringify(api);
  if (view === 'audience') return `(${audienceClient})(${at}, ${inkLayer}, ${whenReady}, ${inkChange});\n`;
  if (view === 'presenter')
    return `(${presenterClient})(${at}, ${inkLayer}, ${whenReady}, ${clock}, ${poster}, ${inkChange});\n`;
  return `(${remoteClient})(${at}, ${clock}, ${poster});\n`;
}
