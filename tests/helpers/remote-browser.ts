import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { browserArgs } from '../../src/browser/launch.js';
import { isHeadlessShell } from '../../src/browser/find.js';
import { tempDir } from './temp.js';

/**
 * A browser that is, for the network, on another machine: Chromium in a network namespace of its
 * own (`unshare -n`, root only), whose loopback is not this machine's, so it reaches no server
 * here. Only its DevTools port is forwarded, through a Unix socket, to `ws` on this machine.
 */
export interface RemoteBrowser {
  ws: string;
  /** The port on this machine that forwards to the browser's DevTools port. */
  port: number;
  close: () => Promise<void>;
}

/** Whether this machine can give a browser a network of its own. */
export function canIsolateNetwork(): boolean {
  return (
    process.platform === 'linux' && spawnSync('unshare', ['-n', 'true']).status === 0 && existsSync('/usr/sbin/ip')
  );
}

export async function startRemoteBrowser(executable: string): Promise<RemoteBrowser> {
  const dir = tempDir('remote');
  const socketPath = join(dir, 'devtools.sock');
  const flags = [
    ...(isHeadlessShell(executable) ? [] : ['--headless']),
    '--no-sandbox',
    `--user-data-dir=${join(dir, 'profile')}`,
    '--remote-debugging-port=9222',
    ...browserArgs,
  ];
  const quoted = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    'ip link set lo up',
    `${[executable, ...flags, 'about:blank'].map(quoted).join(' ')} >/dev/null 2>&1 &`,
    `exec ${quoted(process.execPath)} ${quoted(join(import.meta.dirname, 'netns-bridge.mjs'))} ${quoted(socketPath)} 9222`,
  ].join('\n');
  const child: ChildProcess = spawn('unshare', ['-n', 'sh', '-c', script], { detached: true, stdio: 'ignore' });
  const open = new Set<{ destroy: () => void }>();
  const forward: Server = createServer((client) => {
    const upstream = connect(socketPath);
    open.add(client);
    open.add(upstream);
    client.on('close', () => open.delete(client));
    upstream.on('close', () => open.delete(upstream));
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => forward.listen(0, '127.0.0.1', resolve));
  const port = (forward.address() as { port: number }).port;
  const close = async (): Promise<void> => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    // Connections still open (a client that did not hang up) must not keep the close waiting.
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => forward.close(() => resolve()));
  };
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(2_000) });
      const { webSocketDebuggerUrl } = (await res.json()) as { webSocketDebuggerUrl: string };
      return { ws: webSocketDebuggerUrl.replace(/^ws:\/\/[^/]+/, `ws://127.0.0.1:${port}`), port, close };
    } catch (err) {
      if (Date.now() > until) {
        await close();
        throw new Error(`the isolated browser did not open its DevTools port: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
