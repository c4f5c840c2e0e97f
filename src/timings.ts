/**
 * Where a run's time goes, phase by phase, when it is asked for (`--timings`, `npm run bench`):
 * each phase's time is summed over the run, in the order phases first ran. Phases that overlap
 * (the browser starting while the decks are built) each count their own time. A leaf.
 */
const phases = new Map<string, number>();
let recording = false;

/** Starts (or stops) recording, from nothing. */
export function recordTimings(on: boolean): void {
  recording = on;
  phases.clear();
}

/** Adds the time until `work` settles to `phase`; `work` as it is either way. */
export function timed<T>(phase: string, work: Promise<T>): Promise<T> {
  if (!recording) return work;
  const started = performance.now();
  const add = (): void => {
    phases.set(phase, (phases.get(phase) ?? 0) + performance.now() - started);
  };
  work.then(add, add);
  return work;
}

/** Adds the time a synchronous step takes to `phase`. */
export function timedSync<T>(phase: string, work: () => T): T {
  if (!recording) return work();
  const started = performance.now();
  try {
    return work();
  } finally {
    phases.set(phase, (phases.get(phase) ?? 0) + performance.now() - started);
  }
}

/** The phases recorded so far, in milliseconds, rounded. */
export function phaseTimes(): Record<string, number> {
  return Object.fromEntries([...phases].map(([phase, ms]) => [phase, Math.round(ms)]));
}
