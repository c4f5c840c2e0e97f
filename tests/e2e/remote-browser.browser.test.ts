import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { connect } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';
import { officeForTests, officeToPdf } from '../helpers/office.js';
import { readPdf } from '../helpers/pdf.js';
import { canIsolateNetwork, type RemoteBrowser, startRemoteBrowser } from '../helpers/remote-browser.js';

const browserPath = browserForTests('remote-browser tests');
const isolated = canIsolateNetwork();
const soffice = officeForTests('remote-browser PowerPoint check');
if (browserPath && !isolated)
  console.warn('remote-browser tests skipped: `unshare -n` is not allowed here (needs root on Linux)');

const deck = `---
title: Far Away
date: 2026-03-14
author: A Speaker
---

## An image

![The open and closed models compared](images/open-vs-closed.svg)

## Code

\`\`\`js
const far = 'away';
\`\`\`

Note: said from another machine.
`;

describe.skipIf(!browserPath || !isolated)('a browser on another machine (no network path to this one)', () => {
  let remote: RemoteBrowser;
  let host: Server;
  let hostUrl: string;
  let hits = 0;

  beforeAll(async () => {
    remote = await startRemoteBrowser(browserPath!);
    host = createServer((_req, res) => {
      hits++;
      res.end('here');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    await remote?.close();
    host?.close();
  });

  const project = (): string => {
    const dir = makeProject({ 'decks/far.md': deck });
    mkdirSync(join(dir, 'decks/images'), { recursive: true });
    copyFileSync(join(repoRoot, 'decks/images/open-vs-closed.svg'), join(dir, 'decks/images/open-vs-closed.svg'));
    return dir;
  };

  /** The same project built twice, with a browser here and with the one there; both clean. */
  const buildHereAndThere = async (config?: string): Promise<{ local: string; far: string }> => {
    const local = project();
    const far = project();
    for (const dir of config ? [local, far] : []) writeFileSync(join(dir, 'lectern.config.yaml'), config!);
    for (const [dir, extra] of [
      [local, []],
      [far, ['--browser-ws', remote.ws]],
    ] as const) {
      const run = await cli(['build', '--quiet', ...extra], dir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    return { local, far };
  };

  it('cannot reach a server on this machine itself', async () => {
    const browser = await connect({ browserWSEndpoint: remote.ws });
    try {
      const page = await browser.newPage();
      const reached = await page.evaluate(
        (url) =>
          fetch(url).then(
            () => true,
            () => false,
          ),
        hostUrl,
      );
      expect(reached).toBe(false);
      expect(hits).toBe(0);
      await page.close();
    } finally {
      await browser.disconnect();
    }
  });

  it('prints the PDF byte for byte as a browser on this machine does, the deck delivered over DevTools', async () => {
    const { local, far } = await buildHereAndThere();
    const a = readFileSync(join(local, 'dist/far/far.pdf'));
    const b = readFileSync(join(far, 'dist/far/far.pdf'));
    expect(b.subarray(0, 5).toString()).toBe('%PDF-');
    expect(b.length).toBeGreaterThan(5_000);
    expect(b.equals(a)).toBe(true);
    expect(
      readFileSync(join(far, 'dist/far/thumbnail.png')).equals(readFileSync(join(local, 'dist/far/thumbnail.png'))),
    ).toBe(true);
    expect(hits).toBe(0);
  });

  it('makes the slide pictures, the one-file deck and the PowerPoint file there as here', async () => {
    const { local, far } = await buildHereAndThere('formats: [html, pdf, png, pptx, single-file]\n');
    const same = (path: string): void => {
      const b = readFileSync(join(far, path));
      expect(b.length, path).toBeGreaterThan(1000);
      expect(b.equals(readFileSync(join(local, path))), path).toBe(true);
    };
    for (const path of [
      'dist/far/slides/001.png',
      'dist/far/slides/002.png',
      'dist/far/slides/003.png',
      'dist/far.html',
    ])
      same(path);
    expect(readFileSync(join(far, 'dist/far.html'), 'utf8')).toContain('data:image/svg+xml;base64,');
    // The PowerPoint file carries the time it was written; what a reader shows of it is the same.
    if (soffice) {
      const read = async (dir: string) =>
        (await readPdf(officeToPdf(soffice, join(dir, 'dist/far/far.pptx'), true))).text;
      const farText = await read(far);
      expect(farText.length).toBe(6);
      expect(farText.join(' ')).toContain('said from another machine.');
      expect(farText).toEqual(await read(local));
    }
    expect(hits).toBe(0);
  });

  it('checks a deck there too, with the same findings as here', async () => {
    const dir = project();
    const here = await cli(['check', '--json'], dir);
    const there = await cli(['check', '--json', '--browser-ws', remote.ws], dir);
    expect(there.code).toBe(here.code);
    expect(JSON.parse(there.stdout)).toEqual(JSON.parse(here.stdout));
  });

  it('takes the browser from LECTERN_BROWSER_WS and from the config too', async () => {
    const dir = project();
    const io = { cwd: dir, stdout: () => undefined, stderr: () => undefined, env: { LECTERN_BROWSER_WS: remote.ws } };
    const { runCli } = await import('../../src/cli/main.js');
    expect(await runCli(['build', '--quiet'], io)).toBe(0);
    // A deck not built yet, so the run needs the browser the environment names.
    const wrong = { ...io, cwd: project(), env: { LECTERN_BROWSER_WS: 'ws://127.0.0.1:1/devtools/browser/none' } };
    let err = '';
    expect(await runCli(['build', '--quiet'], { ...wrong, stderr: (t: string) => (err += t) })).toBe(3);
    expect(err).toContain('error[BROWSER_LAUNCH]: could not connect to ws://127.0.0.1:1/devtools/browser/none');
    const configured = project();
    writeFileSync(join(configured, 'lectern.config.yaml'), 'browserWs: ws://127.0.0.1:1/devtools/browser/none\n');
    const refused = await cli(['build', '--quiet'], configured);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('could not connect to ws://127.0.0.1:1/devtools/browser/none');
    writeFileSync(join(configured, 'lectern.config.yaml'), `browserWs: ${remote.ws}\n`);
    expect((await cli(['build', '--quiet'], configured)).code).toBe(0);
    expect(readFileSync(join(configured, 'dist/far/far.pdf')).equals(readFileSync(join(dir, 'dist/far/far.pdf')))).toBe(
      true,
    );
  });
});
