import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from './fs.js';

/** A raw HTTP exchange: the path sent exactly as given, any Host, Origin or body. */
export function exchange(
  url: string,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** For an event stream: read until this holds of what came (default: the greeting's state). */
    until?: (body: string) => boolean;
  } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port, host } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path, method: init.method ?? 'GET', headers: { host, ...init.headers } },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
          // An event stream stays open: read until the greeting's last event has come.
          if (res.headers['content-type']?.startsWith('text/event-stream')) {
            const done = init.until ?? ((b: string) => /event: state\n/.test(b));
            if (body.endsWith('\n\n') && done(body)) res.destroy();
          }
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface RunningTalk {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  urls: { presenter: string; audience: string; remote: string };
  exited: Promise<number>;
  /** Ctrl-C, and the exit status. */
  stop: () => Promise<number>;
}

/** `lectern present` as a speaker runs it, in `cwd`, until it prints its addresses. */
export async function startTalk(cwd: string, args: string[], tmp: string): Promise<RunningTalk> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/lectern.js'), 'present', ...args], {
    cwd,
    env: { ...process.env, TMPDIR: tmp },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const until = Date.now() + 60_000;
  while (!out.includes('Ctrl-C ends the talk') && Date.now() < until && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 50));
  const url = (name: string): string => new RegExp(`^${name} +(http://\\S+)`, 'm').exec(out)?.[1] ?? '';
  return {
    child,
    out: () => out,
    urls: { presenter: url('presenter'), audience: url('audience'), remote: url('remote') },
    exited,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
