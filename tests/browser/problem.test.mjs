// 问题工单: a matter passed among three departments with none signing for it is raised;
// the counter finds it in the 问题工单 tab, its page says why, the dashboard counts it.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, signIn, startHub, tid } from './lib/harness.mjs';
import { CLOCK_START } from './lib/matters.mjs';
import { registerByApi, waitText } from './lib/steps.mjs';

describe('问题工单', () => {
  let hub;
  let browser;
  before(async () => {
    hub = await startHub({ name: 'problem', clockStart: CLOCK_START });
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  it('lists a matter passed around, says why on its page and counts it', async () => {
    const created = await registerByApi(hub, 'problem-1', {
      reporter: { name: '李秀梅', phone: '13912340001' }, title: '宅基地界址争议', description: '与邻居因宅基地界址发生争执，多次协商未果。',
    });
    const id = created.case.id;
    // Handed on twice more (three hand-offs with its routing), nobody signing for it.
    for (const d of ['zrzyj', 'sfj']) {
      const r = await hub.api('POST', `/api/v1/cases/${id}/actions/reassign`, { body: { departments: [d], reason: '改派' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const c = await hub.api('GET', `/api/v1/cases/${id}`);
    assert.equal(c.body.problem_order && c.body.problem_order.rule, 'passed_around', JSON.stringify(c.body.problem_order));

    const p = await newPage(browser);
    await signIn(p, hub, hub.accounts.counter);
    await p.goto(`${hub.base}/#/queue?tab=problem`);
    const rows = tid(p, 'queue-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getByTestId('queue-row-id').innerText(), `#${id}`);
    await p.goto(`${hub.base}/#/case/${id}`);
    const banner = tid(p, 'case-problem-order');
    await banner.waitFor();
    assert.equal(await banner.getAttribute('data-rule'), 'passed_around');
    await waitText(banner, '问题工单');
    await p.goto(`${hub.base}/#/stats`);
    await waitText(tid(p, 'stats-problem-orders'), '1');
  });
});
