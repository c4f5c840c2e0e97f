import { launch } from 'puppeteer-core';
const [bin, url, out] = process.argv.slice(2);
const t0 = performance.now();
const mark = {};
let last = t0;
const lap = (k) => {
  const n = performance.now();
  mark[k] = Math.round(n - last);
  last = n;
};
const browser = await launch({
  executablePath: bin,
  headless: bin.endsWith('shell') ? 'shell' : true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
lap('launch');
const page = await browser.newPage();
await page.evaluateOnNewDocument(() => {
  window.__ready = new Promise((r) => addEventListener('pdf-ready', r, { once: true }));
});
await page.goto(url + '?print-pdf&pdfSeparateFragments=false', { waitUntil: 'load' });
lap('load');
await page.evaluate(() => window.__ready);
lap('layout');
await page.pdf({ path: out, preferCSSPageSize: true, printBackground: true });
lap('print');
await browser.close();
lap('close');
console.log(JSON.stringify({ total: Math.round(performance.now() - t0), ...mark }));
