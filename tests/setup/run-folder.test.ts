import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { expect, it } from 'vitest';

it('the suite runs in a temp folder of its own, so its leftover check counts only what it made', () => {
  expect(basename(tmpdir())).toMatch(/^lectern-test-run-/);
  expect(process.env.TMPDIR).toBe(tmpdir());
});
