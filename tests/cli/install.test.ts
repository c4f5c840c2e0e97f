import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fs.js';
import { tempDir } from '../helpers/temp.js';

// The README's second way in: the project packed, installed as a command of its own into a
// prefix of its own, and used from an empty folder far from the clone.
describe('lectern installed from its packed tarball', () => {
  it('asks for the browser installer the bundled browser driver was made with, exactly', () => {
    // lib/bundle carries puppeteer-core's code; the installer it starts browsers through comes from
    // node_modules: an install must get the very version that puppeteer-core pins.
    const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const driver = JSON.parse(readFileSync(join(repoRoot, 'node_modules/puppeteer-core/package.json'), 'utf8'));
    expect(own.dependencies['@puppeteer/browsers']).toBe(driver.dependencies['@puppeteer/browsers']);
  });

  it('makes a deck and builds it in an empty folder', { timeout: 300_000 }, () => {
    const work = tempDir('install');
    const run = (cmd: string, args: string[], cwd: string) => {
      const res = spawnSync(cmd, args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, npm_config_update_notifier: 'false' },
      });
      expect(res.status, `${cmd} ${args.join(' ')}\n${res.stdout}\n${res.stderr}`).toBe(0);
      return res.stdout;
    };
    // lib/ is already compiled (npm test compiles before it tests): the pack takes it as it is.
    run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], repoRoot);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    const prefix = join(work, 'prefix');
    run(
      'npm',
      ['install', '-g', '--prefix', prefix, join(work, tarball), '--prefer-offline', '--no-audit', '--no-fund'],
      work,
    );
    const lectern = join(prefix, 'bin', 'lectern');
    const empty = join(work, 'empty');
    spawnSync('mkdir', ['-p', empty]);
    expect(run(lectern, ['--version'], empty).trim()).toMatch(/^\d+\.\d+\.\d+/);
    const made = run(lectern, ['new', 'deck', 'talk', '--no-pdf'], empty);
    expect(made).toContain('created decks/talk.md');
    expect(run(lectern, ['build', '--no-pdf', '--force'], empty)).toMatch(
      /built decks\/talk\.md -> dist\/talk\/index\.html \(\d+ slides\)/,
    );
    expect(existsSync(join(empty, 'dist/talk/index.html'))).toBe(true);
    expect(existsSync(join(empty, 'dist/index.html'))).toBe(true);
  });
});
