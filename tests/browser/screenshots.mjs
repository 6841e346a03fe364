// The five screens of the counter page at 1366×768, from a running demo (scripts/demo):
// run by scripts/screenshots, which starts and stops the demo.
//
//   node tests/browser/screenshots.mjs --url http://127.0.0.1:PORT --data-dir DIR --out docs/screenshots
//
// DIR is the demo's data dir: accounts.txt (the people who sign in), tokens.txt (the
// admin token used to pick a case worth showing) and matters/ (the shared matters, of
// which one 12345 land dispute is typed again at the counter, so the preview shows the
// person's record and the likely duplicate).

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { api, launchBrowser, newPage, tid } from './lib/harness.mjs';
import { palettize } from './lib/png.mjs';

function args() {
  const out = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) out[a[i].replace(/^--/, '')] = a[i + 1];
  for (const k of ['url', 'data-dir', 'out']) if (!out[k]) throw new Error(`usage: screenshots.mjs --url URL --data-dir DIR --out DIR (missing --${k})`);
  return out;
}

async function table(file) {
  const rows = (await readFile(file, 'utf8')).trim().split('\n').map((l) => l.split('\t'));
  return Object.fromEntries(rows.map(([name, role, department, secret]) => [name, { name, role, department, secret }]));
}

async function signIn(page, base, who) {
  await page.goto(`${base}/`);
  await tid(page, 'signin-name').fill(who.name);
  await tid(page, 'signin-password').fill(who.secret);
  await tid(page, 'signin-submit').click();
  await tid(page, 'user-name').filter({ hasText: who.name }).waitFor();
}

// Waits for every loading area to settle and the fonts to be ready.
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading') && document.fonts.status === 'loaded');
}

async function shoot(page, file) {
  await settled(page);
  await page.mouse.move(0, 767); // no hover effects
  const png = palettize(await page.screenshot({ type: 'png' }));
  await writeFile(file, png);
  console.log(`   ${file} (${Math.round(png.length / 1024)} KB)`);
}

async function main() {
  const o = args();
  const base = o.url.replace(/\/$/, '');
  const dir = resolve(o['data-dir']);
  const outDir = resolve(o.out);
  await mkdir(outDir, { recursive: true });
  const accounts = await table(join(dir, 'accounts.txt'));
  const tokens = await table(join(dir, 'tokens.txt'));
  const admin = tokens['demo-admin'].secret;
  const who = (name) => {
    if (!accounts[name]) throw new Error(`no account ${name} in ${join(dir, 'accounts.txt')}`);
    return accounts[name];
  };

  // A case worth showing: an open dispute its town coordinates, reported by the most
  // systems, with the longest record.
  const list = await api(base, 'GET', `/api/v1/cases?category=${encodeURIComponent('矛盾纠纷/')}&level=town&status=in_progress&limit=100`, { token: admin });
  if (list.status !== 200) throw new Error(`GET /api/v1/cases: ${list.status} ${list.text}`);
  let best = null;
  for (const c of list.body.items) {
    const full = (await api(base, 'GET', `/api/v1/cases/${c.id}`, { token: admin })).body;
    const score = (full.sources || []).length * 100 + Math.min((full.events || []).length, 40);
    if (!best || score > best.score) best = { score, id: c.id };
  }
  if (!best) throw new Error('the demo has no dispute at town level');

  // The matter typed at the counter: a 12345 land dispute (matters/shared-hotline12345.jsonl).
  const shared = (await readFile(join(dir, 'matters', 'shared-hotline12345.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  const matter = shared.find((m) => m.category === '矛盾纠纷/土地' && m.reporter && m.reporter.phone && m.grid_id) || shared[0];

  const browser = await launchBrowser();
  try {
    console.log('== screenshots');
    // 受理: the form filled in, the preview showing the person's 12345 record and the duplicate
    const counter = await newPage(browser);
    await signIn(counter, base, who('counter.li@shgzb'));
    await tid(counter, 'intake-form').waitFor();
    await tid(counter, 'intake-name').fill(matter.reporter.name);
    await tid(counter, 'intake-phone').fill(matter.reporter.phone);
    if (matter.reporter.id_number) await tid(counter, 'intake-id-number').fill(matter.reporter.id_number);
    await tid(counter, 'intake-town').selectOption(matter.division_code.slice(0, 9));
    await tid(counter, 'intake-village').selectOption(matter.division_code);
    await tid(counter, 'intake-grid').selectOption(matter.grid_id);
    const [cls] = matter.category.split('/');
    await tid(counter, 'intake-category').selectOption(cls);
    if (matter.category !== cls) await tid(counter, 'intake-subtype').selectOption(matter.category);
    await tid(counter, 'intake-title').fill(`${matter.title}（来窗口反映）`);
    await tid(counter, 'intake-description').fill(`群众到窗口反映：${matter.description}`);
    await tid(counter, 'preview-person-case').first().waitFor();
    await tid(counter, 'preview-route').waitFor();
    await shoot(counter, join(outDir, 'intake.png'));

    // 工作台: the counter's own department's queue, soonest deadline first
    await counter.goto(`${base}/#/queue?tab=department&sort=due`);
    await tid(counter, 'queue-row').first().waitFor();
    await shoot(counter, join(outDir, 'queue.png'));

    // 案件: the case, its sources, clocks and timeline
    await counter.goto(`${base}/#/case/${best.id}`);
    await tid(counter, 'timeline-item').first().waitFor();
    await shoot(counter, join(outDir, 'case.png'));

    // 统计
    await counter.goto(`${base}/#/stats`);
    await tid(counter, 'chart-monthly').waitFor();
    await tid(counter, 'stats-department-row').first().waitFor();
    await shoot(counter, join(outDir, 'stats.png'));

    // 审计: the auditor's trail of that case
    const auditor = await newPage(browser);
    await signIn(auditor, base, who('auditor.sun'));
    await auditor.goto(`${base}/#/audit?tab=trail&case_id=${best.id}`);
    await tid(auditor, 'audit-row').first().waitFor();
    await shoot(auditor, join(outDir, 'audit.png'));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`screenshots: ${e.stack || e}`);
  process.exit(1);
});
