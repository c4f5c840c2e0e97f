/**
 * Text read from a user's file as Lectern reads it: without a byte-order mark, and with CRLF
 * and lone CR line ends folded into LF, so line numbers stay the editor's. A leaf.
 */
export function cleanText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}
