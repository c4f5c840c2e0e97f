#!/usr/bin/env node
// `npm run bench`: times HTML builds of the decks in decks/. Prints medians over several runs,
// measured in one process so the numbers compare with each other on a noisy machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from '../lib/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const out = mkdtempSync(join(tmpdir(), 'lectern-bench-'));
const rows = [];
try {
  const first = await time(() => buildAll({ projectDir: root, outDir: out }));
  const warm = [];
  let slides = 0;
  for (let i = 0; i < runs; i++) {
    warm.push(
      await time(async () => {
        const r = await buildAll({ projectDir: root, outDir: out });
        slides = r.decks.reduce((n, d) => n + d.deck.slideCount, 0);
      }),
    );
  }
  const cold = [];
  for (let i = 0; i < Math.min(runs, 7); i++) {
    cold.push(
      await time(() => {
        const r = spawnSync(process.execPath, [join(root, 'bin/lectern.js'), 'build', '--quiet', '--out', out], { cwd: root });
        if (r.status !== 0) throw new Error(r.stderr.toString());
      }),
    );
  }
  rows.push(['all decks, first build in process', first, 1]);
  rows.push([`all decks (${slides} slides), warm, in process`, median(warm), runs]);
  rows.push(['all decks, whole CLI process (node start included)', median(cold), cold.length]);
} finally {
  rmSync(out, { recursive: true, force: true });
}

console.log('| case | median ms | runs |');
console.log('| --- | ---: | ---: |');
for (const [name, ms, n] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${n} |`);
