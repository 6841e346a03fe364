// Time to first render of the counter page's screens, in Debian's Chromium driven by
// playwright-core (installed in tests/browser by scripts/test): for each screen, a
// fresh page load until its first data row (or timeline item) is in the DOM, measured
// in the page (performance.now() when a MutationObserver first sees the element: the
// navigation, the page's scripts, its API calls and the rendering, all included).
// Also the bytes the browser downloads for the first page (the queue of a counter
// operator, after sign-in).
//
//   node bench/web_render.mjs --url http://127.0.0.1:8080 --name counter.li@shgzb \
//       --password '…' --case 123456 [--department town-140929100] [--runs 7]
//
// Prints one line per screen: median, min and max over the runs, and what it waited for.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = args.url;
const runs = Number(args.runs || 7);
const department = args.department || 'town-140929100';
if (!base || !args.name || !args.password || !args.case) {
  console.error('usage: node bench/web_render.mjs --url URL --name ACCOUNT --password P --case ID [--department D] [--runs N]');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],  // playwright gives it a fresh profile itself
});
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
// Records when the awaited element first appears, from the page's own clock.
await context.addInitScript(() => {
  const wanted = () => window.__yzWanted;
  new MutationObserver(() => {
    if (window.__yzSeen === undefined && wanted() && document.querySelector(wanted())) {
      window.__yzSeen = performance.now();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
});

const page = await context.newPage();
let bytes = 0;
let files = 0;
page.on('response', async (r) => {
  try {
    bytes += (await r.body()).length;
    files += 1;
  } catch {
    /* redirects and aborted loads have no body */
  }
});
// Sign in through the form once; the session cookie then carries every load.
await page.goto(base + '/');
await page.getByTestId('signin-name').fill(args.name);
await page.getByTestId('signin-password').fill(args.password);
await page.getByTestId('signin-submit').click();
await page.getByTestId('nav-queue').waitFor();
const signInBytes = bytes;
bytes = 0;
files = 0;
await page.goto(base + '/#/queue');
await page.getByTestId('queue-row').first().waitFor({ timeout: 60000 });
await page.waitForLoadState('networkidle');
console.log(`first page after sign-in (the queue): ${bytes} bytes in ${files} responses; the sign-in page: ${signInBytes} bytes`);

async function time(label, hash, selector) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const p = await context.newPage();
    await p.addInitScript((s) => {
      window.__yzWanted = s;
    }, selector);
    await p.goto('about:blank');
    await p.goto(base + '/' + hash);
    await p.locator(selector).first().waitFor({ timeout: 60000 });
    const seen = await p.evaluate(() => window.__yzSeen ?? performance.now());
    ms.push(seen);
    await p.close();
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  console.log(
    `${label.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms  min ${ms[0].toFixed(0).padStart(5)}  max ${ms[ms.length - 1]
      .toFixed(0)
      .padStart(5)}  (${runs} loads)`,
  );
}

const row = '[data-testid="queue-row"]';
await time('queue: all cases, newest first', '#/queue?tab=all', row);
await time(`queue: department ${department}, newest`, `#/queue?tab=department&department=${department}`, row);
await time(`queue: department ${department}, by due`, `#/queue?tab=department&department=${department}&sort=due`, row);
await time('queue: search 噪音 (two characters)', `#/queue?tab=all&q=${encodeURIComponent('噪音')}`, row);
await time(`case page ${args.case}`, `#/case/${args.case}`, '[data-testid="timeline-item"]');

await browser.close();
