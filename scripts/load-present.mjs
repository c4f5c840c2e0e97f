#!/usr/bin/env node
// The talk server under a room's load: `lectern present` on a 30-slide deck, N audience
// connections (default 200) held for S seconds (default 60) while the presenter's token moves the
// talk every second. Reports, from one run: how long each audience connection took to hear of each
// step (median, 99th percentile, worst, and how many were later than a second), whether every
// connection saw every step in order, and the server's resident memory as the minute went on.
// Usage: node scripts/load-present.mjs [--clients N] [--seconds S]   (also `npm run bench -- --present-only`)
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function talkLoad({ clients = 200, seconds = 60, slides = 30 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-present-'));
  mkdirSync(join(dir, 'decks'));
  writeFileSync(
    join(dir, 'decks', 'talk.md'),
    `# Load\n\n${Array.from({ length: slides }, (_, i) => `## Slide ${i + 1}\n\n- a point\n- another\n\nNote: notes ${i + 1}\n`).join('\n')}`,
  );
  const child = spawn(process.execPath, [join(root, 'bin', 'lectern.js'), 'present', 'decks/talk.md', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, TMPDIR: dir },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    while (!out.includes('Ctrl-C ends the talk')) {
      if (child.exitCode !== null) throw new Error(`lectern present stopped:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = (name) => new URL(new RegExp(`^${name} +(\\S+)`, 'm').exec(out)[1]);
    const audience = url('audience');
    const presenter = url('presenter');
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

    // Each connection: the steps it heard, with when.
    const heard = [];
    const sockets = [];
    await Promise.all(
      Array.from({ length: clients }, (_, i) => {
        heard[i] = new Map();
        return new Promise((resolve, reject) => {
          const req = request(
            {
              host: audience.hostname,
              port: audience.port,
              path: `${audience.pathname}__lectern/events`,
              agent: false,
              headers: { host: audience.host },
            },
            (res) => {
              let buffer = '';
              res.setEncoding('utf8');
              res.on('data', (chunk) => {
                buffer += chunk;
                let end = buffer.indexOf('\n\n');
                while (end !== -1) {
                  const block = buffer.slice(0, end);
                  buffer = buffer.slice(end + 2);
                  const m = /^event: state\ndata: (.*)$/m.exec(block);
                  if (m) heard[i].set(JSON.parse(m[1]).seq, performance.now());
                  end = buffer.indexOf('\n\n');
                }
              });
              resolve();
            },
          );
          req.on('error', reject);
          sockets.push(req);
          req.end();
        });
      }),
    );
    const memory = [{ at: 0, mb: rss() }];
    const sent = new Map();
    const post = (body) =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: presenter.hostname,
            port: presenter.port,
            path: `${presenter.pathname}__lectern/command`,
            method: 'POST',
            headers: { host: presenter.host, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    const started = performance.now();
    for (let step = 1; step <= seconds; step++) {
      const slide = step % slides;
      const at = performance.now();
      sent.set(step, at);
      const status = await post({ type: 'state', indexh: slide, indexv: 0, indexf: -1, paused: false, slide });
      if (status !== 204) throw new Error(`the presenter's step was refused: ${status}`);
      if (step % 10 === 0) memory.push({ at: step, mb: rss() });
      const next = started + step * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const latencies = [];
    let missing = 0;
    let outOfOrder = 0;
    for (const map of heard) {
      let last = -1;
      for (const [seq, at] of map) {
        if (seq < last) outOfOrder++;
        last = seq;
        if (sent.has(seq)) latencies.push(at - sent.get(seq));
      }
      for (const seq of sent.keys()) if (!map.has(seq)) missing++;
    }
    latencies.sort((a, b) => a - b);
    const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    for (const req of sockets) req.destroy();
    return {
      clients,
      steps: seconds,
      deliveries: latencies.length,
      missing,
      outOfOrder,
      medianMs: pick(0.5),
      p99Ms: pick(0.99),
      worstMs: latencies.at(-1),
      late: latencies.filter((l) => l > 1000).length,
      memory,
    };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function talkLoadTable(r) {
  const mb = r.memory.map((m) => `${m.at} s: ${m.mb.toFixed(0)} MB`).join(', ');
  return [
    `\n### The talk server under load (${r.clients} audience connections, a step a second for ${r.steps} s)\n`,
    '| deliveries | missing | out of order | median | p99 | worst | later than 1 s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${r.deliveries} | ${r.missing} | ${r.outOfOrder} | ${r.medianMs.toFixed(1)} ms | ${r.p99Ms.toFixed(1)} ms | ${r.worstMs.toFixed(1)} ms | ${r.late} |`,
    '',
    `Server memory (resident): ${mb}; growth over the run ${(r.memory.at(-1).mb - r.memory[0].mb).toFixed(1)} MB.`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const result = await talkLoad({ clients: option('--clients', 200), seconds: option('--seconds', 60) });
  process.stdout.write(talkLoadTable(result));
}
