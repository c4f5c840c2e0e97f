import type { Token, Tokens } from 'marked';

/** Tokens that carry no visible content: blank lines, link definitions, plain comments. */
export function isVisible(token: Token): boolean {
  if (token.type === 'space' || token.type === 'def') return false;
  if (token.type === 'html') return !/^\s*(<!--[\s\S]*?-->\s*)+$/.test(token.raw);
  return true;
}

/**
 * The layout a slide gets when its author chose none: section for a section heading, quote for
 * one blockquote, image for one image, code for one code block, two-column when the body has
 * column breaks, bullets otherwise.
 */
export function inferLayout(body: Token[], columns: number, section: boolean): string {
  if (section) return 'section';
  if (columns > 1) return 'two-column';
  const visible = body.filter(isVisible);
  if (visible.length !== 1) return 'bullets';
  const only = visible[0]!;
  if (only.type === 'blockquote') return 'quote';
  if (only.type === 'code') return 'code';
  if (only.type === 'paragraph') {
    const inline = (only as Tokens.Paragraph).tokens.filter(
      (t) => !(t.type === 'text' && t.raw.trim() === '') && isVisible(t),
    );
    // An image given a size of its own (`{width=…}`, Marp's `w:`) is not meant to fill the slide.
    const sized = (only as Tokens.Paragraph).tokens.some(
      (t) => t.type === 'html' && /\.element:[^>]*(width|height)/.test(t.raw),
    );
    if (inline.length === 1 && inline[0]!.type === 'image' && !sized) return 'image';
  }
  return 'bullets';
}
