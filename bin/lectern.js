#!/usr/bin/env node
// The process shell around runCli: wires stdio, the working folder, and Ctrl-C / SIGTERM.
import { fileURLToPath } from 'node:url';
import { codeCacheRoot, requireBundle } from '../lib/cli/code-cache.js';

// The command line runs from its bundle (scripts/bundle.mjs), with V8's code cache kept in the
// user's cache folder: a small build starts in well under half the time of the unbundled modules.
const { runCli } = requireBundle(
  fileURLToPath(new URL('../lib/bundle/main.cjs', import.meta.url)),
  codeCacheRoot(process.env),
);

const controller = new AbortController();
let interrupted = false;
const stop = () => {
  // A second signal means "now": the exit handlers still release the lock, remove staged
  // folders and kill the browser.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// A closed terminal ends the run the same way.
process.on('SIGHUP', stop);

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
  signal: controller.signal,
  env: process.env,
});
// The run is over: leave now, once what was printed has been flushed, rather than wait for
// connections a closed browser may still hold open.
const status = interrupted ? 130 : code;
process.stdout.write('', () => process.stderr.write('', () => process.exit(status)));
