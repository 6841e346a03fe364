// The counter's main story, all through the page (issue: "Must show"): a walk-in land
// dispute registered at the counter, its 12345 record of the day before proposed as the
// same matter and joined, passed to joint consultation (会商), returned once by 自然资源局
// with a reason, reassigned, accepted, replied and closed; the timeline shows each step;
// the auditor sees the whole trail masked, cannot act, and exports the ledger, which
// scripts/verify-ledger.sh verifies (and refuses once a byte is changed).

import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { choose, launchBrowser, newPage, run, signIn, sourceDir, startHub, tid } from './lib/harness.mjs';
import { CLOCK_START, LAND_12345, MARKUP_12345, PLACE, WALK_IN } from './lib/matters.mjs';
import { storySteps, waitText } from './lib/steps.mjs';

describe('the counter registers a walk-in land dispute and sees it through to the ledger', () => {
  let hub;
  let browser;
  let counter; // pages, one browser context each
  let handler;
  let auditor;
  let landId; // the 12345 record's case
  let newId; // the case registered at the counter
  const step = storySteps();

  before(async () => {
    hub = await startHub({ name: 'flow', matters: [LAND_12345, MARKUP_12345], clockStart: CLOCK_START });
    browser = await launchBrowser();
    const found = await hub.api('GET', `/api/v1/cases?system=hotline12345&q=${encodeURIComponent('边界争议')}`);
    landId = found.body.items.find((c) => c.title.includes(LAND_12345.title))?.id;
    assert.ok(landId, `the 12345 land dispute is a case: ${found.text}`);
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  step('the counter operator signs in and lands on 受理', async () => {
    counter = await newPage(browser);
    await signIn(counter, hub, hub.accounts.counter);
    await tid(counter, 'intake-form').waitFor();
    assert.equal(await tid(counter, 'user-role').getAttribute('data-role'), 'operator');
  });

  step('typing the person shows the same person\'s 12345 record (一人一档) and a likely duplicate', async () => {
    const p = counter;
    await tid(p, 'intake-name').fill(WALK_IN.name);
    await tid(p, 'intake-phone').fill(WALK_IN.phone);
    await tid(p, 'intake-id-number').fill(WALK_IN.id);
    const person = tid(p, 'preview-person-case').filter({ hasText: LAND_12345.title });
    await person.waitFor();
    assert.match(await person.innerText(), new RegExp(`#${landId}\\b`));
    await choose(tid(p, 'intake-town'), PLACE.town);
    await choose(tid(p, 'intake-village'), PLACE.village);
    await choose(tid(p, 'intake-grid'), PLACE.grid);
    await tid(p, 'intake-address').fill(WALK_IN.address);
    await choose(tid(p, 'intake-category'), WALK_IN.category);
    await choose(tid(p, 'intake-subtype'), WALK_IN.subtype);
    assert.equal(await tid(p, 'intake-channel').inputValue(), WALK_IN.channel, 'the counter\'s channel 窗口 is the default');
    await tid(p, 'intake-title').fill(WALK_IN.title);
    await tid(p, 'intake-description').fill(WALK_IN.description);
    const dup = tid(p, 'preview-duplicate').filter({ hasText: LAND_12345.title });
    await dup.waitFor();
    assert.match(await dup.innerText(), /相似度 \d+%/);
    // routed to the town like any dispute first reported here
    await waitText(tid(p, 'preview-route'), '岚漪镇');
  });

  step('saving registers one case, routed to the town with its deadlines', async () => {
    const p = counter;
    await tid(p, 'intake-save').click();
    const result = tid(p, 'intake-result');
    await result.waitFor();
    newId = Number(await result.getAttribute('data-case-id'));
    assert.ok(newId > landId, `a new case id: ${newId}`);
    await waitText(tid(p, 'intake-result-route'), '岚漪镇');
    assert.ok((await tid(p, 'intake-result-deadline').count()) >= 1);
    // the form is empty again, ready for the next citizen
    assert.equal(await tid(p, 'intake-name').inputValue(), '');
    const stored = await hub.api('GET', `/api/v1/cases/${newId}`);
    assert.equal(stored.body.source_system, 'counter');
    assert.equal(stored.body.channel, '窗口');
    assert.equal(stored.body.category, '矛盾纠纷/土地');
  });

  step('a two-character search in the queue finds it', async () => {
    const p = counter;
    await tid(p, 'nav-queue').click();
    await tid(p, 'queue-tab-all').click();
    await tid(p, 'queue-search').fill('界址');
    await tid(p, 'queue-search-submit').click();
    const row = p.locator(`[data-testid=queue-row][data-case-id="${newId}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(WALK_IN.title));
    // every row found has the two characters somewhere (the 12345 record's text has not)
    assert.equal(await p.locator(`[data-testid=queue-row][data-case-id="${landId}"]`).count(), 0);
    await row.getByTestId('queue-row-title').click();
    await p.waitForURL(new RegExp(`#/case/${newId}$`));
  });

  step('the case page proposes the 12345 record as the same matter; the counter joins them', async () => {
    const p = counter;
    const item = tid(p, 'dup-item').filter({ has: p.locator(`[data-testid=dup-case]:text-is("#${landId}")`) });
    await item.waitFor();
    const proposal = await hub.api('GET', `/api/v1/cases/${newId}`);
    assert.equal(proposal.body.merged_into, null, 'proposed, not joined by itself');
    await item.getByTestId('dup-reason').fill('同一人同一地块，12345 已先受理');
    await item.getByTestId('dup-accept').click();
    await tid(p, 'dup-done').waitFor();
    const into = tid(p, 'case-merged-into');
    await waitText(into, `#${landId}`);
    await into.getByRole('link', { name: `#${landId}` }).click();
    await p.waitForURL(new RegExp(`#/case/${landId}$`));
    await tid(p, 'case-header').waitFor();
    // both systems now report this one case
    await waitText(tid(p, 'case-sources'), '窗口');
    assert.equal(await tid(p, 'source-row').count(), 2);
    await tid(p, 'timeline-item').and(p.locator('[data-type=merged]')).first().waitFor();
  });

  async function act(p, action, fill = {}) {
    await tid(p, `case-action-${action}`).click();
    const form = p.locator(`[data-testid=action-form][data-action=${action}]`);
    await form.waitFor();
    for (const d of fill.departments || []) await form.getByTestId(`action-department-${d}`).check();
    if (fill.reason) await form.getByTestId('action-reason').fill(fill.reason);
    if (fill.text) await form.getByTestId('action-text').fill(fill.text);
    await form.getByTestId('action-submit').click();
    await tid(p, 'case-action-done').waitFor();
    await form.waitFor({ state: 'detached' });
  }
  const status = async (p, want) => eventuallyStatus(p, want);
  async function eventuallyStatus(p, want) {
    await p.locator(`[data-testid=case-status][data-status=${want}]`).waitFor();
  }

  step('the counter passes it to joint consultation of 自然资源局, 农业农村局 and 司法局', async () => {
    const p = counter;
    await tid(p, 'case-action-reassign').click();
    const form = p.locator('[data-testid=action-form][data-action=reassign]');
    for (const d of ['zrzyj', 'nyncj', 'sfj']) await form.getByTestId(`action-department-${d}`).check();
    await waitText(form.getByTestId('action-departments-count'), '会商');
    await form.getByTestId('action-reason').fill('涉及承包地确权与调解，会商办理');
    await form.getByTestId('action-submit').click();
    await tid(p, 'case-action-done').waitFor();
    await status(p, 'dispatched');
    await waitText(tid(p, 'case-level'), '会商');
    const c = await hub.api('GET', `/api/v1/cases/${landId}`);
    assert.equal(c.body.level, 'joint', 'a reassignment to several departments is joint consultation (level joint)');
    const owing = new Set(c.body.obligations.filter((o) => o.state === 'open').map((o) => o.department));
    assert.deepEqual([...owing].sort(), ['nyncj', 'sfj', 'zrzyj']);
  });

  step('the 自然资源局 handler finds it in the department queue and returns it once, with a reason', async () => {
    handler = await newPage(browser);
    await signIn(handler, hub, hub.accounts.handler);
    await tid(handler, 'queue-results').waitFor(); // an operator lands on the queue of the department
    const row = handler.locator(`[data-testid=queue-row][data-case-id="${landId}"]`);
    await row.waitFor();
    await row.getByTestId('queue-row-title').click();
    await tid(handler, 'case-header').waitFor();
    // a department may not pass a case on or close it: the page offers neither
    assert.equal(await tid(handler, 'case-action-reassign').count(), 0);
    assert.equal(await tid(handler, 'case-action-close').count(), 0);
    await act(handler, 'return', { reason: '界址争议应先由乡镇调解委员会调处' });
    await status(handler, 'returned');
  });

  step('the counter sees it returned and reassigns it to the same consultation', async () => {
    const p = counter;
    await tid(p, 'case-reload').click();
    await status(p, 'returned');
    await act(p, 'reassign', { departments: ['zrzyj', 'nyncj', 'sfj'], reason: '乡镇已调解未果，仍由会商办理' });
    await status(p, 'dispatched');
  });

  step('the handler accepts it and replies', async () => {
    const p = handler;
    await tid(p, 'case-reload').click();
    await status(p, 'dispatched');
    await act(p, 'accept');
    await status(p, 'in_progress');
    await act(p, 'reply', { text: '经现场勘界，已恢复原界址并签订调解协议' });
    await status(p, 'replied');
  });

  step('the counter closes it, and the timeline shows every step in order, by whom', async () => {
    const p = counter;
    await tid(p, 'case-reload').click();
    await status(p, 'replied');
    await act(p, 'close', { text: '双方签字认可，办结' });
    await status(p, 'closed');
    const items = tid(p, 'timeline-item');
    const events = await items.evaluateAll((els) => els.map((e) => ({
      seq: Number(e.dataset.seq),
      type: e.dataset.type,
      actor: e.querySelector('[data-testid=timeline-actor]')?.textContent || '',
      reason: e.querySelector('[data-testid=timeline-reason]')?.textContent || '',
      text: e.querySelector('[data-testid=timeline-text]')?.textContent || '',
    })));
    const steps = events
      .filter((e) => ['merged', 'reassigned', 'returned', 'accepted', 'replied', 'closed'].includes(e.type))
      .sort((a, b) => a.seq - b.seq)
      .map((e) => `${e.type} ${e.actor}`);
    assert.deepEqual(steps, [
      'merged user:counter.li@shgzb',
      'reassigned user:counter.li@shgzb',
      'returned user:handler.zhao@zrzyj',
      'reassigned user:counter.li@shgzb',
      'accepted user:handler.zhao@zrzyj',
      'replied user:handler.zhao@zrzyj',
      'closed user:counter.li@shgzb',
    ]);
    const returned = events.find((e) => e.type === 'returned');
    assert.match(returned.reason, /界址争议应先由乡镇调解委员会调处/);
    assert.match(events.find((e) => e.type === 'replied').text, /签订调解协议/);
    // the labels are the message table's
    await waitText(tid(p, 'case-timeline'), '退回');
    await waitText(tid(p, 'case-timeline'), '改派');
  });

  step('the auditor sees the whole trail with personal data masked, and no action', async () => {
    auditor = await newPage(browser);
    await signIn(auditor, hub, hub.accounts.auditor);
    const p = auditor;
    await p.goto(`${hub.base}/#/audit?tab=trail&case_id=${landId}`);
    await tid(p, 'audit-trail').waitFor();
    const trail = await tid(p, 'audit-trail').innerText();
    for (const word of ['合并', '改派', '退回', '签收', '答复', '办结']) assert.ok(trail.includes(word), `the trail shows ${word}`);
    assert.match(trail, /handler\.zhao@zrzyj/);
    assert.match(trail, /界址争议应先由乡镇调解委员会调处/);
    await p.goto(`${hub.base}/#/case/${landId}`);
    await tid(p, 'case-header').waitFor();
    await tid(p, 'timeline-item').first().waitFor();
    await waitText(tid(p, 'case-reporter-phone'), '****');
    assert.equal(await tid(p, 'case-actions').count(), 0, 'no action bar');
    assert.equal(await tid(p, 'case-pii-show').count(), 0, 'no clear-data button');
    assert.equal(await p.locator('[data-testid^=case-action-], [data-testid=dup-accept], [data-testid=member-unmerge], [data-testid=case-unmerge]').count(), 0);
    assert.equal(await tid(p, 'nav-intake').count(), 0, 'no 受理 for an auditor');
    for (const screen of [`#/case/${landId}`, `#/case/${newId}`, `#/audit?tab=trail&case_id=${landId}`]) {
      await p.goto(`${hub.base}/${screen}`);
      await p.locator('[data-testid=case-timeline], [data-testid=audit-trail]').first().waitFor();
      const html = await p.content();
      for (const clear of [WALK_IN.phone, WALK_IN.id, WALK_IN.id.slice(6, 14)]) assert.ok(!html.includes(clear), `no clear ${clear} on ${screen}`);
    }
  });

  step('the auditor downloads the ledger export; verify-ledger.sh passes it, and names a changed line', async () => {
    const p = auditor;
    await p.goto(`${hub.base}/#/audit?tab=export`);
    const link = tid(p, 'audit-export-link');
    await link.waitFor();
    const [download] = await Promise.all([p.waitForEvent('download'), link.click()]);
    const file = join(hub.dir, 'yizhan-ledger.jsonl');
    await download.saveAs(file);
    const script = join(sourceDir, 'scripts', 'verify-ledger.sh');
    const ok = await run('sh', [script, file]);
    assert.equal(ok.code, 0, `verify-ledger.sh: ${ok.stdout}${ok.stderr}`);
    assert.match(ok.stdout, /^OK: \d+ events verify/);
    const lines = (await readFile(file, 'utf8')).split('\n');
    // one byte of an event's JSON in the middle of the file: a digit of its "at" field
    const n = Math.floor(lines.length / 2);
    const at = lines[n].indexOf('"at":"') + 7;
    assert.ok(at > 7, `line ${n + 1} is an event: ${lines[n].slice(0, 80)}`);
    const changed = lines[n].slice(0, at) + (lines[n][at] === '1' ? '2' : '1') + lines[n].slice(at + 1);
    await writeFile(file, [...lines.slice(0, n), changed, ...lines.slice(n + 1)].join('\n'));
    const bad = await run('sh', [script, file]);
    assert.equal(bad.code, 1, `verify-ledger.sh on a changed file: ${bad.stdout}${bad.stderr}`);
    assert.match(bad.stdout, new RegExp(`^line ${n + 1} \\(event seq \\d+\\) does not verify`));
  });
});
