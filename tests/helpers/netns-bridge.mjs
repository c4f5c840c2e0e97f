// Runs inside the remote browser's network namespace: passes each connection made to a Unix
// socket (files are shared across namespaces, networks are not) on to the browser's DevTools
// port on that namespace's own loopback.
import { createServer, connect } from 'node:net';

const [socketPath, port] = process.argv.slice(2);
createServer((client) => {
  const upstream = connect(Number(port), '127.0.0.1');
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
}).listen(socketPath);
