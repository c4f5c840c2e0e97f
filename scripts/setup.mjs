#!/usr/bin/env node
// `npm run setup`: installs what Lectern needs on a fresh machine. Plain Node, no dependencies,
// so it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  console.log(`setup: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`setup: error: \`${cmd} ${args.join(' ')}\` failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status || 1);
  }
};

// Same search order as the browser module: CHROME_PATH, PUPPETEER_EXECUTABLE_PATH, usual places.
const locations = JSON.parse(readFileSync(join(root, 'scripts', 'browser-locations.json'), 'utf8'));
const candidates = [
  process.env.CHROME_PATH,
  process.env.PUPPETEER_EXECUTABLE_PATH,
  ...(process.platform === 'darwin' ? locations.darwin.map((p) => p.replace(/^~/, homedir())) : locations.linux),
].filter(Boolean);
const findBrowser = () => candidates.find((p) => existsSync(p));

run('npm', ['ci', '--no-audit', '--no-fund']);

let browser = findBrowser();
// Debian's headless shell (chromium-headless-shell) starts four times faster than Chromium and
// prints about twice as fast: installed beside Chromium where apt can, and preferred.
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const hasShell = () => candidates.some((p) => /headless-shell$/.test(p) && existsSync(p));
// Emoji and Chinese, Japanese and Korean text need fonts of their own, or they show as boxes.
const fontFiles = [
  '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
];
const missingFonts = !fontFiles.every((f) => existsSync(f));
let updated = false;
const update = () => {
  if (!updated) run('apt-get', ['update', '-qq']);
  updated = true;
};
if (isRoot && hasApt && (!browser || (!hasShell() && !process.env.CHROME_PATH))) {
  update();
  if (!browser) run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core']);
  // Not every distribution has it: without it Chromium does the work.
  const shell = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium-headless-shell'], {
    stdio: 'inherit',
  });
  if (shell.status !== 0) console.warn('setup: note: no chromium-headless-shell package here; Chromium is used');
  browser = findBrowser();
}
if (isRoot && hasApt && process.platform === 'linux' && missingFonts) {
  update();
  const fonts = spawnSync(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', 'fonts-noto-color-emoji', 'fonts-noto-cjk'],
    { stdio: 'inherit' },
  );
  if (fonts.status !== 0) console.warn('setup: note: the Noto emoji and CJK fonts could not be installed');
}
if (browser) {
  let version = '';
  try {
    version = execFileSync(browser, ['--version'], { encoding: 'utf8', timeout: 20000 }).trim();
  } catch {
    version = '(version unknown)';
  }
  console.log(`setup: browser: ${browser} ${version}`);
} else {
  console.warn(
    'setup: warning: no Chrome, Chromium or Edge found. HTML builds work without one; the browser tests and PDF export need one.\n' +
      '  Debian/Ubuntu: sudo apt-get install chromium\n' +
      '  macOS: install Google Chrome\n' +
      '  or set CHROME_PATH to a Chrome-family browser.',
  );
}
console.log('setup: done. Next: npm run build');
