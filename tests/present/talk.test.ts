import { describe, expect, it } from 'vitest';
import { withoutNotes, noNotesIn } from '../../src/model/audience.js';
import { inkFileName, parseInkFile, serializeInk, strokePath } from '../../src/model/ink.js';
import type { Deck, Slide } from '../../src/model/types.js';
import { Talk } from '../../src/present/talk.js';
import { newToken, viewOfToken } from '../../src/present/tokens.js';

const stroke = (
  id: string,
  points: [number, number][] = [
    [1, 2],
    [3, 4],
  ],
) => ({
  id,
  tool: 'pen',
  color: '#E0245E',
  width: 4,
  points,
});

describe('the tokens of a talk', () => {
  it('are 256 random bits in URL-safe base64, never the same twice', () => {
    const tokens = Array.from({ length: 200 }, newToken);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(200);
  });

  it('open their own view and nothing else: not a prefix, not another case, not one character off', () => {
    const tokens = { presenter: newToken(), audience: newToken(), remote: newToken() };
    expect(viewOfToken(tokens.presenter, tokens)).toBe('presenter');
    expect(viewOfToken(tokens.audience, tokens)).toBe('audience');
    expect(viewOfToken(tokens.remote, tokens)).toBe('remote');
    const a = tokens.audience;
    for (const guess of [
      '',
      a.slice(0, -1),
      `${a}x`,
      a.toUpperCase() === a ? a.toLowerCase() : a.toUpperCase(),
      `${a.slice(0, -1)}${a.endsWith('A') ? 'B' : 'A'}`,
    ])
      expect(viewOfToken(guess, tokens)).toBeNull();
  });
});

describe('the talk: who may change what', () => {
  const slides = [
    { title: 'One', notes: '<p>first notes</p>' },
    { title: 'Two', notes: '' },
    { title: 'Three', notes: '<p>third</p>' },
  ];
  const fresh = (now = () => 1000) => new Talk(slides, { width: 1280, height: 720, slides: {} }, now);
  const state = { type: 'state', indexh: 1, indexv: 0, indexf: -1, paused: false, slide: 1 };

  it('lets the audience send nothing, and the remote only steps, the timer and the QR code', () => {
    const talk = fresh();
    for (const message of [
      state,
      { type: 'go', action: 'next' },
      { type: 'qr', show: true },
      { type: 'clear', slide: 1 },
    ])
      expect(talk.apply('audience', message)).toMatchObject({ status: 403 });
    expect(talk.apply('remote', state)).toMatchObject({ status: 403 });
    expect(talk.apply('remote', { type: 'stroke', slide: 1, stroke: stroke('a') })).toMatchObject({ status: 403 });
    expect(talk.apply('remote', { type: 'go', action: 'next' })).toMatchObject({
      events: [{ type: 'command', to: 'presenter', data: { action: 'next' } }],
    });
    expect(talk.apply('remote', { type: 'go', action: 'explode' })).toMatchObject({ status: 400 });
    expect(talk.apply('presenter', { type: 'nonsense' })).toMatchObject({ status: 400 });
    expect(talk.apply('presenter', null)).toMatchObject({ status: 400 });
    expect(talk.position.slide).toBe(0);
  });

  it('takes a position only in range, and gives the audience no notes', () => {
    const talk = fresh();
    expect(talk.apply('presenter', { ...state, slide: 3 })).toMatchObject({ status: 400 });
    expect(talk.apply('presenter', { ...state, indexh: -1 })).toMatchObject({ status: 400 });
    expect(talk.apply('presenter', { ...state, indexh: 1.5 })).toMatchObject({ status: 400 });
    expect(talk.apply('presenter', { ...state, paused: 'yes' })).toMatchObject({ status: 400 });
    const done = talk.apply('presenter', { ...state, slide: 2, indexh: 2 });
    expect('events' in done && done.events.map((e) => e.to)).toEqual(['audience', 'speaker']);
    expect(talk.stateFor('all')).not.toHaveProperty('notes');
    expect(JSON.stringify(talk.stateFor('all'))).not.toContain('third');
    expect(talk.stateFor('speaker')).toMatchObject({ notes: '<p>third</p>', title: 'Three', nextTitle: null, seq: 1 });
  });

  it('keeps the timer: started by the first step, paused, reset', () => {
    let now = 1000;
    const talk = fresh(() => now);
    expect(talk.timer()).toEqual({ running: false, elapsedMs: 0 });
    talk.apply('presenter', state);
    now = 61_000;
    expect(talk.timer()).toEqual({ running: true, elapsedMs: 60_000 });
    talk.apply('remote', { type: 'timer', action: 'pause' });
    now = 200_000;
    expect(talk.timer()).toEqual({ running: false, elapsedMs: 60_000 });
    talk.apply('remote', { type: 'timer', action: 'start' });
    now = 210_000;
    expect(talk.timer().elapsedMs).toBe(70_000);
    talk.apply('presenter', { type: 'timer', action: 'reset' });
    expect(talk.timer()).toEqual({ running: false, elapsedMs: 0 });
  });

  it('draws, erases and clears strokes per slide, checking every stroke', () => {
    const talk = fresh();
    expect(talk.apply('presenter', { type: 'stroke', slide: 2, stroke: stroke('a') })).toMatchObject({
      inkChanged: true,
    });
    talk.apply('presenter', { type: 'stroke', slide: 2, stroke: stroke('b') });
    expect(talk.ink.slides['2']!.map((s) => s.id)).toEqual(['a', 'b']);
    expect(talk.ink.slides['2']![0]!.color).toBe('#e0245e');
    for (const bad of [
      { ...stroke('c'), color: 'red; background:url(x)' },
      { ...stroke('c'), color: 'url(#x)' },
      { ...stroke('c'), id: '"><script>' },
      { ...stroke('c'), tool: 'laser' },
      { ...stroke('c'), width: 0 },
      { ...stroke('c'), points: [] },
      { ...stroke('c'), points: [[Number.NaN, 1]] },
      { ...stroke('c'), points: [[1, 2, 3]] },
      { ...stroke('c'), points: Array.from({ length: 5001 }, () => [1, 1]) },
    ])
      expect(talk.apply('presenter', { type: 'stroke', slide: 2, stroke: bad })).toMatchObject({ status: 400 });
    expect(talk.apply('presenter', { type: 'stroke', slide: 4, stroke: stroke('d') })).toMatchObject({ status: 400 });
    expect(talk.apply('presenter', { type: 'stroke', slide: 0, stroke: stroke('d') })).toMatchObject({ status: 400 });
    // Points far off the slide are brought back to within a slide of it.
    talk.apply('presenter', { type: 'stroke', slide: 1, stroke: stroke('far', [[1e9, -1e9]]) });
    expect(talk.ink.slides['1']![0]!.points).toEqual([[2560, -720]]);
    talk.apply('presenter', { type: 'erase', slide: 2, ids: ['a', 42] });
    expect(talk.ink.slides['2']!.map((s) => s.id)).toEqual(['b']);
    talk.apply('presenter', { type: 'clear', slide: 2 });
    expect(talk.ink.slides).not.toHaveProperty('2');
  });
});

describe('the drawing file', () => {
  it('sits beside the deck, named for it', () => {
    expect(inkFileName('talk.md')).toBe('talk.annotations.json');
    expect(inkFileName('slides.qmd')).toBe('slides.annotations.json');
  });

  it('reads back what it wrote, and leaves out what is not well formed, naming it', () => {
    const ink = { width: 1280, height: 720, slides: { '3': [stroke('a')], '10': [stroke('b')] } };
    const text = serializeInk(parseInkFile(JSON.stringify(ink)).ink);
    expect(Object.keys(JSON.parse(text).slides)).toEqual(['3', '10']);
    expect(parseInkFile(text).dropped).toEqual([]);
    const { ink: kept, dropped } = parseInkFile(
      JSON.stringify({
        ...ink,
        slides: { ...ink.slides, '0': [stroke('c')], __proto__: [], x: [], '4': [stroke('d'), { id: 'e' }] },
      }),
    );
    expect(Object.keys(kept.slides).sort()).toEqual(['10', '3', '4']);
    expect([...dropped].sort()).toEqual(['slide "0"', 'slide "x"', 'stroke 2 of slide 4']);
    expect(parseInkFile('not json').dropped[0]).toMatch(/^the whole file \(not JSON/);
  });

  it('draws a stroke as a polyline, a single point as a dot', () => {
    expect(
      strokePath({
        points: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      }),
    ).toBe('M1 2 L3 4 L5 6');
    expect(strokePath({ points: [[7, 8]] })).toBe('M7 8 L7 8');
  });
});

describe('the audience deck', () => {
  const slide = (over: Partial<Slide>): Slide =>
    ({
      h: 0,
      v: 0,
      layout: 'bullets',
      layoutChosen: false,
      title: 'T',
      titleText: 'T',
      body: '',
      columns: [''],
      notes: '',
      fragments: 0,
      attributes: {},
      pos: { file: 'x.md' },
      ...over,
    }) as Slide;

  it('has no notes anywhere: the slide notes, asides and data-notes written in HTML', () => {
    const deck = {
      stacks: [
        {
          slides: [
            slide({
              notes: '<p>secret one</p>',
              body: '<p>shown</p><aside class="notes big">secret two</aside><div data-notes="secret three">kept</div>',
              columns: ['<aside class="notes">secret four</aside><p>col</p>'],
              attributes: { 'data-notes': 'secret five', class: 'x' },
              chrome: { footer: '<span data-NOTES="secret six">foot</span>' },
            }),
          ],
        },
      ],
    } as unknown as Deck;
    const text = JSON.stringify(withoutNotes(deck));
    expect(text).not.toMatch(/secret/);
    expect(text).toContain('shown');
    expect(text).toContain('kept');
    expect(text).toContain('col');
    expect(text).toContain('foot');
    expect(noNotesIn('<p>no note here</p>')).toBe('<p>no note here</p>');
  });
});
