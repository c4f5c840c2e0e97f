import puppeteer from 'puppeteer-core';
import { readFileSync } from 'node:fs';
const bin = process.argv[2];
const url = 'file:///tmp/sp/d10/dist/s10/index.html?print-pdf';
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const t = () => performance.now();
for (const mode of ['default', 'context', 'context+proxy', 'context+proxy+intercept']) {
  const b = await puppeteer.launch({
    executablePath: bin,
    headless: bin.endsWith('shell') ? 'shell' : true,
    args,
    pipe: true,
  });
  const s = t();
  const ctx =
    mode === 'default'
      ? b.defaultBrowserContext()
      : await b.createBrowserContext(mode.includes('proxy') ? { proxyServer: 'http://127.0.0.1:1' } : {});
  const page = await ctx.newPage();
  const opened = t();
  let target = url;
  if (mode.endsWith('intercept')) {
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.host !== 'd1.lectern.localhost') return r.abort();
      const path = '/tmp/sp/d10/dist/s10' + (u.pathname === '/' ? '/index.html' : u.pathname);
      try {
        r.respond({
          status: 200,
          body: readFileSync(path),
          contentType: path.endsWith('.html')
            ? 'text/html'
            : path.endsWith('.css')
              ? 'text/css'
              : path.endsWith('.js')
                ? 'text/javascript'
                : 'font/woff2',
        });
      } catch {
        r.respond({ status: 404, body: '' });
      }
    });
    target = 'http://d1.lectern.localhost/index.html?print-pdf';
  }
  await page.goto(target, { waitUntil: 'load' });
  const loaded = t();
  console.log(mode.padEnd(26), 'open', Math.round(opened - s), 'load', Math.round(loaded - opened));
  await b.close();
}
