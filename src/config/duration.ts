/**
 * Durations as speakers write them, in whole seconds: `90` (seconds, as Reveal.js counts),
 * `90s`, `2m`, `2 min`, `1m30s`, `1:30`, `1h 15m`. Undefined for anything else. Pure.
 */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  const text = input.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text));
  const clock = /^(?:(\d+):)?(\d{1,3}):([0-5]\d)$/.exec(text);
  if (clock) return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  let seconds = 0;
  let rest = text;
  let matched = false;
  const part = /^(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\s*,?\s*/;
  for (let m = part.exec(rest); m; m = part.exec(rest)) {
    seconds += Number(m[1]) * units[m[2]![0]!]!;
    rest = rest.slice(m[0].length);
    matched = true;
  }
  return matched && rest === '' ? Math.round(seconds) : undefined;
}

/** A duration for messages: `2m`, `1m 30s`, `45s`. */
export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (m === 0) return `${s}s`;
  return s ? `${m}m ${s}s` : `${m}m`;
}
