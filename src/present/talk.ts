import { type InkFile, type InkStroke, inkLimits, parseStroke } from '../model/ink.js';
import type { View } from './tokens.js';

/** Where the talk is: Reveal.js's indices, the slide in reading order, whether the screen is blank. */
export interface TalkPosition {
  indexh: number;
  indexv: number;
  /** The fragment shown last; -1 for none. */
  indexf: number;
  paused: boolean;
  /** 0-based, in reading order (the PDF's page of the slide, less one). */
  slide: number;
}

/** What one slide tells the speaker's views (never the audience's). */
export interface SpeakerSlide {
  title: string;
  /** Sanitised HTML, as the deck's speaker view shows it. */
  notes: string;
}

/** What a view may ask the talk for, as posted by its page. */
export type TalkMessage =
  | ({ type: 'state' } & TalkPosition)
  | { type: 'go'; action: 'next' | 'prev' | 'pause' | 'resume' | 'first' }
  | { type: 'stroke'; slide: number; stroke: InkStroke }
  | { type: 'erase'; slide: number; ids: string[] }
  | { type: 'clear'; slide: number }
  | { type: 'timer'; action: 'start' | 'pause' | 'reset' }
  | { type: 'qr'; show: boolean };

/** What each view may send: the audience nothing, the remote steps, the timer and the QR code. */
const allowed: Record<View, readonly TalkMessage['type'][]> = {
  presenter: ['state', 'go', 'stroke', 'erase', 'clear', 'timer', 'qr'],
  remote: ['go', 'timer', 'qr'],
  audience: [],
};

/** An event for the open pages: `to` says which views get it. */
export interface TalkEvent {
  type: 'state' | 'ink' | 'command' | 'viewers';
  to: 'all' | 'audience' | 'speaker' | 'presenter';
  data: Record<string, unknown>;
}

/**
 * The talk in progress: where it is, the timer, the QR code on screen, the ink. Pure state with
 * the rules of who may change what; the server carries its events to the pages.
 */
export class Talk {
  position: TalkPosition = { indexh: 0, indexv: 0, indexf: -1, paused: false, slide: 0 };
  qr = false;
  private timerStartedAt: number | null = null;
  private timerBanked = 0;
  /** Bumped on every change of position, so a page can tell the latest. */
  seq = 0;
  /** The presenter page that set the position (each names itself), so the others follow it. */
  private by = '';

  constructor(
    readonly slides: readonly SpeakerSlide[],
    readonly ink: InkFile,
    private readonly now: () => number = Date.now,
  ) {}

  /** The timer's elapsed milliseconds, and whether it runs. */
  timer(): { running: boolean; elapsedMs: number } {
    const running = this.timerStartedAt !== null;
    return { running, elapsedMs: this.timerBanked + (running ? this.now() - this.timerStartedAt! : 0) };
  }

  /** The state event as the audience gets it (no notes), and as the speaker's views get it. */
  stateFor(to: 'all' | 'speaker'): Record<string, unknown> {
    const base = { ...this.position, seq: this.seq, qr: this.qr, timer: this.timer(), slideCount: this.slides.length };
    if (to === 'all') return base;
    if (this.by) Object.assign(base, { by: this.by });
    const here = this.slides[this.position.slide];
    const next = this.slides[this.position.slide + 1];
    return { ...base, title: here?.title ?? '', notes: here?.notes ?? '', nextTitle: next?.title ?? null };
  }

  /**
   * A message from a view, checked: the events to send, or a refusal with the HTTP status and
   * why. Nothing a page sends is trusted for more than its shape.
   */
  apply(view: View, body: unknown): { events: TalkEvent[]; inkChanged?: boolean } | { status: number; why: string } {
    const message = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const type = message.type as TalkMessage['type'];
    if (!allowed.presenter.includes(type)) return { status: 400, why: 'unknown message' };
    if (!allowed[view].includes(type)) return { status: 403, why: `the ${view} view cannot send "${type}"` };
    const int = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | null =>
      typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : null;
    switch (type) {
      case 'state': {
        const indexh = int(message.indexh, 0);
        const indexv = int(message.indexv, 0);
        const indexf = int(message.indexf, -1) ?? -1;
        const slide = int(message.slide, 0, this.slides.length - 1);
        if (indexh === null || indexv === null || slide === null || typeof message.paused !== 'boolean')
          return { status: 400, why: 'a state needs indexh, indexv, slide and paused' };
        const position = { indexh, indexv, indexf, paused: message.paused, slide };
        // The talk's first step starts the timer, as a speaker view's does.
        if (this.timerStartedAt === null && this.timerBanked === 0 && (slide > 0 || indexf >= 0))
          this.timerStartedAt = this.now();
        this.position = position;
        this.by = typeof message.by === 'string' && /^[a-z0-9]{1,40}$/.test(message.by) ? message.by : '';
        this.seq++;
        return { events: this.stateEvents() };
      }
      case 'go': {
        if (!['next', 'prev', 'pause', 'resume', 'first'].includes(message.action as string))
          return { status: 400, why: 'go takes next, prev, pause, resume or first' };
        return { events: [{ type: 'command', to: 'presenter', data: { action: message.action } }] };
      }
      case 'timer': {
        const action = message.action;
        const t = this.timer();
        if (action === 'start') this.timerStartedAt ??= this.now();
        else if (action === 'pause') {
          this.timerBanked = t.elapsedMs;
          this.timerStartedAt = null;
        } else if (action === 'reset') {
          this.timerBanked = 0;
          this.timerStartedAt = null;
        } else return { status: 400, why: 'timer takes start, pause or reset' };
        return { events: this.stateEvents() };
      }
      case 'qr': {
        if (typeof message.show !== 'boolean') return { status: 400, why: 'qr takes show: true or false' };
        this.qr = message.show;
        return { events: this.stateEvents() };
      }
      default:
        return this.applyInk(type, message);
    }
  }

  private applyInk(
    type: 'stroke' | 'erase' | 'clear',
    message: Record<string, unknown>,
  ): { events: TalkEvent[]; inkChanged: boolean } | { status: number; why: string } {
    const slide = typeof message.slide === 'number' ? message.slide : -1;
    if (!Number.isInteger(slide) || slide < 1 || slide > this.slides.length)
      return { status: 400, why: `slide must be a slide number from 1 to ${this.slides.length}` };
    const key = String(slide);
    const strokes = this.ink.slides[key] ?? [];
    // Only the change goes to the pages: a stroke added, strokes removed, a slide cleared.
    let data: Record<string, unknown>;
    if (type === 'stroke') {
      const stroke = parseStroke(message.stroke, this.ink.width, this.ink.height);
      if (!stroke) return { status: 400, why: 'the stroke is not well formed' };
      const kept = strokes.filter((s) => s.id !== stroke.id);
      const points = (list: InkStroke[]): number => list.reduce((n, s) => n + s.points.length, 0);
      if (kept.length >= inkLimits.strokesPerSlide || points(kept) + stroke.points.length > inkLimits.pointsPerSlide)
        return { status: 413, why: 'this slide holds all the drawing it can: clear it (C) to draw more' };
      const total = Object.values(this.ink.slides).reduce((n, list) => n + points(list), 0);
      if (total + stroke.points.length > inkLimits.points)
        return { status: 413, why: 'the talk holds all the drawing it can: clear a slide to draw more' };
      this.ink.slides[key] = [...kept, stroke];
      data = { slide, add: stroke };
    } else if (type === 'erase') {
      const ids = Array.isArray(message.ids) ? message.ids.filter((id): id is string => typeof id === 'string') : [];
      this.ink.slides[key] = strokes.filter((s) => !ids.includes(s.id));
      data = { slide, remove: ids.slice(0, inkLimits.strokesPerSlide) };
    } else {
      this.ink.slides[key] = [];
      data = { slide, strokes: [] };
    }
    if (!this.ink.slides[key]!.length) delete this.ink.slides[key];
    return { events: [{ type: 'ink', to: 'all', data }], inkChanged: true };
  }

  private stateEvents(): TalkEvent[] {
    return [
      { type: 'state', to: 'audience', data: this.stateFor('all') },
      { type: 'state', to: 'speaker', data: this.stateFor('speaker') },
    ];
  }
}
