import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * After the summary: every skipped test by name, grouped under the reason its file gave
 * (tests/helpers/skips.ts), so a run that skipped something says what and why.
 */
export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const file = process.env.LECTERN_TEST_SKIPS;
    const reasons = new Map<string, string>();
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
        const [what, reason] = line.split('\t') as [string, string];
        reasons.set(what, reason);
      }
    }
    const skipped: { module: string; name: string }[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped')
          skipped.push({ module: relative(process.cwd(), module.moduleId), name: test.fullName });
      }
    }
    if (!skipped.length) return;
    const lines = [`\n${skipped.length} test${skipped.length === 1 ? '' : 's'} skipped:`];
    for (const s of skipped) lines.push(`  ${s.module} > ${s.name}`);
    if (reasons.size) {
      lines.push('because:');
      for (const [what, reason] of reasons) lines.push(`  ${what}: ${reason}`);
    } else lines.push('  (no reason was recorded: a test that skips should call noteSkip)');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
