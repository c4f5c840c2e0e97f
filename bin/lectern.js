#!/usr/bin/env node
// The process shell around runCli: wires stdio, the working folder, and Ctrl-C / SIGTERM.
// The command line runs from its bundle (scripts/bundle.mjs): the same modules in a few files,
// which Node loads in about half the time of the three hundred it is made from.
import { runCli } from '../lib/bundle/main.js';

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
