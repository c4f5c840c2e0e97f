/**
 * Reads a CSS value (a `style` attribute, or a Reveal.js attribute that becomes CSS) the way a
 * browser does, tokenising it and undoing escapes, so `u\rl(`, `\75 rl(`, comments and
 * `image-set(…)` are seen for what they are. Pure.
 */

/** Functions that compute a value and never load anything. Any other function is refused. */
const harmlessFunctions = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'hwb',
  'lab',
  'lch',
  'oklab',
  'oklch',
  'color',
  'color-mix',
  'light-dark',
  'calc',
  'min',
  'max',
  'clamp',
  'round',
  'mod',
  'rem',
  'abs',
  'sign',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'pow',
  'sqrt',
  'hypot',
  'log',
  'exp',
  'var',
  'env',
  'linear-gradient',
  'radial-gradient',
  'conic-gradient',
  'repeating-linear-gradient',
  'repeating-radial-gradient',
  'repeating-conic-gradient',
  'translate',
  'translatex',
  'translatey',
  'translatez',
  'translate3d',
  'rotate',
  'rotatex',
  'rotatey',
  'rotatez',
  'rotate3d',
  'scale',
  'scalex',
  'scaley',
  'scalez',
  'scale3d',
  'skew',
  'skewx',
  'skewy',
  'matrix',
  'matrix3d',
  'perspective',
  'cubic-bezier',
  'steps',
  'linear',
  'minmax',
  'repeat',
  'fit-content',
  'blur',
  'brightness',
  'contrast',
  'drop-shadow',
  'grayscale',
  'hue-rotate',
  'invert',
  'opacity',
  'saturate',
  'sepia',
  'counter',
  'counters',
  'inset',
  'circle',
  'ellipse',
  'polygon',
  'rect',
  'xywh',
]);

/** Names that ran code or bound behaviour in some browser. */
const refusedIdents = new Set(['expression', 'behavior', '-ms-behavior', '-moz-binding', 'javascript']);

/** Why a CSS value may not stay in a safe deck, or null when it may. */
export function refuseCss(value: string): string | null {
  for (const token of tokenizeCss(value)) {
    if (token.type === 'url') return 'CSS that loads a file (url)';
    if (token.type === 'bad') return 'CSS the browser cannot read safely';
    if (token.type === 'at') return `CSS at-rule @${token.name}`;
    if (token.type === 'function' && !harmlessFunctions.has(token.name)) return `CSS function ${token.name}()`;
    if (token.type === 'ident' && refusedIdents.has(token.name)) return `CSS "${token.name}"`;
  }
  return null;
}

type CssToken =
  | { type: 'ident' | 'function' | 'at'; name: string }
  | { type: 'url'; target: string }
  | { type: 'bad' | 'other' };

const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);
const isNameChar = (c: string): boolean => /^[A-Za-z0-9_-]$/.test(c) || c.charCodeAt(0) >= 0x80;
const isNameStart = (c: string): boolean => /^[A-Za-z_]$/.test(c) || c.charCodeAt(0) >= 0x80;
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/** The tokens of CSS Syntax Level 3 this check needs; everything else is `other`. */
function tokenizeCss(input: string): CssToken[] {
  // The CSS preprocessing step: CR and FF become newlines, NUL the replacement character.
  const s = input.replace(/\r\n?|\f/g, '\n').replace(/\0/g, '\ufffd');
  const tokens: CssToken[] = [];
  let i = 0;
  const validEscape = (at: number): boolean => s[at] === '\\' && s[at + 1] !== undefined && s[at + 1] !== '\n';
  const startsName = (at: number): boolean => {
    const c = s[at];
    if (c === undefined) return false;
    if (c === '-')
      return (s[at + 1] !== undefined && (isNameStart(s[at + 1]!) || s[at + 1] === '-')) || validEscape(at + 1);
    return isNameStart(c) || validEscape(at);
  };
  const readEscape = (): string => {
    // At the character after the backslash.
    let hex = '';
    while (hex.length < 6 && i < s.length && isHex(s[i]!)) hex += s[i++];
    if (hex) {
      if (isSpace(s[i])) i++;
      const code = parseInt(hex, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
        ? '\ufffd'
        : String.fromCodePoint(code);
    }
    return i < s.length ? s[i++]! : '\ufffd';
  };
  const name = (): string => {
    let out = '';
    while (i < s.length) {
      if (isNameChar(s[i]!)) out += s[i++];
      else if (validEscape(i)) {
        i++;
        out += readEscape();
      } else break;
    }
    return out;
  };

  while (i < s.length) {
    const c = s[i]!;
    if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end === -1 ? s.length : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i]!;
        if (d === c) {
          i++;
          closed = true;
          break;
        }
        if (d === '\n') break;
        i += d === '\\' ? 2 : 1;
      }
      tokens.push({ type: closed ? 'other' : 'bad' });
      continue;
    }
    if (c === '@' && startsName(i + 1)) {
      i++;
      tokens.push({ type: 'at', name: name().toLowerCase() });
      continue;
    }
    if (startsName(i)) {
      const n = name().toLowerCase();
      if (s[i] === '(') {
        i++;
        if (n === 'url') {
          // `url(` followed by a quote is a function whose argument is a string; either way it
          // loads. Its target is read as the browser reads it, escapes undone.
          while (isSpace(s[i])) i++;
          let target = '';
          const quote = s[i] === '"' || s[i] === "'" ? s[i++] : null;
          while (i < s.length && s[i] !== (quote ?? ')') && !(quote && s[i] === '\n')) {
            if (s[i] === '\\' && validEscape(i)) {
              i++;
              target += readEscape();
            } else target += s[i++];
          }
          if (quote && s[i] === quote) i++;
          tokens.push({ type: 'url', target: quote ? target : target.trim() });
          continue;
        }
        tokens.push({ type: 'function', name: n });
      } else {
        tokens.push({ type: 'ident', name: n });
      }
      continue;
    }
    if (c === '\\') {
      // A backslash that starts no name (before a newline, or at the end) is a stray delimiter.
      tokens.push({ type: 'bad' });
      i++;
      continue;
    }
    tokens.push({ type: 'other' });
    i++;
  }
  return tokens;
}

/** At-rules that only group or name rules, never load anything. */
const groupingAtRules = new Set([
  'media',
  'supports',
  'keyframes',
  '-webkit-keyframes',
  'layer',
  'container',
  'page',
  'font-feature-values',
  'property',
  'counter-style',
  'scope',
  'starting-style',
]);

/** Why a whole stylesheet may not be linked from a safe deck, or null when it may. */
export function refuseStylesheet(text: string): string | null {
  for (const token of tokenizeCss(text)) {
    if (token.type === 'url') return 'it loads a file (url)';
    if (token.type === 'bad') return 'the browser cannot read it safely';
    if (token.type === 'at' && !groupingAtRules.has(token.name)) return `it uses @${token.name}`;
    if (token.type === 'function' && !harmlessFunctions.has(token.name)) return `it uses ${token.name}()`;
    if (token.type === 'ident' && refusedIdents.has(token.name)) return `it uses "${token.name}"`;
  }
  return null;
}

/** Functions that load something, or ran code somewhere: never in a drawing's CSS. */
const loadingFunctions = new Set([
  'image-set',
  '-webkit-image-set',
  'image',
  'cross-fade',
  '-webkit-cross-fade',
  'element',
  '-moz-element',
  'src',
  'paint',
  'expression',
]);

/**
 * Why CSS in a drawing (its `<style>`, a style attribute, a presentation attribute such as
 * `fill` or `cursor`) may not stay, or null: nothing may load (a `url()` only to `#id` within
 * the drawing), no at-rule but those that group rules, nothing the browser cannot read.
 * Transforms and other computing functions stay.
 */
export function refuseDrawingCss(text: string): string | null {
  for (const token of tokenizeCss(text)) {
    if (token.type === 'url' && !token.target.startsWith('#')) return 'CSS that loads a file (url)';
    if (token.type === 'bad') return 'CSS the browser cannot read safely';
    if (token.type === 'at' && !groupingAtRules.has(token.name) && token.name !== 'font-face')
      return `CSS at-rule @${token.name}`;
    if (token.type === 'function' && loadingFunctions.has(token.name)) return `CSS function ${token.name}()`;
    if (token.type === 'ident' && refusedIdents.has(token.name)) return `CSS "${token.name}"`;
  }
  return null;
}
