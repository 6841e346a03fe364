// 即办即走: a matter settled at the counter is registered and closed in one step.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { choose, launchBrowser, newPage, signIn, startHub, tid } from './lib/harness.mjs';
import { CLOCK_START, validId } from './lib/matters.mjs';
import { waitText } from './lib/steps.mjs';

describe('即办即走', () => {
  let hub;
  let browser;
  before(async () => {
    hub = await startHub({ name: 'settle', clockStart: CLOCK_START });
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  it('registers a matter and closes it in the same step; the case page shows it closed', async () => {
    const p = await newPage(browser);
    await signIn(p, hub, hub.accounts.counter);
    await tid(p, 'intake-name').fill('刘桂兰');
    await tid(p, 'intake-phone').fill('0350-5221234');
    await tid(p, 'intake-id-number').fill(validId('14092919620815004'));
    await choose(tid(p, 'intake-town'), '岚漪镇');
    await choose(tid(p, 'intake-village'), '西街村委会');
    await choose(tid(p, 'intake-category'), '社情民意');
    await tid(p, 'intake-title').fill('咨询高龄津贴申领');
    await tid(p, 'intake-description').fill('老人年满八十岁，咨询高龄津贴如何申领、需要哪些材料。');
    assert.equal(await tid(p, 'intake-settle-outcome').isVisible(), false, 'the outcome is asked for only when settling');
    await tid(p, 'intake-settle').check();
    await tid(p, 'intake-settle-outcome').fill('当场告知申领条件和材料清单，群众满意');
    await tid(p, 'intake-save').click();

    const result = tid(p, 'intake-result');
    await result.waitFor();
    const id = Number(await result.getAttribute('data-case-id'));
    assert.equal(await tid(p, 'intake-result-status').getAttribute('data-status'), 'closed');
    await tid(p, 'intake-open-case').click();
    await p.waitForURL(new RegExp(`#/case/${id}$`));
    await p.locator('[data-testid=case-status][data-status=closed]').waitFor();
    await waitText(tid(p, 'case-status'), '办结');
    const closed = p.locator('[data-testid=timeline-item][data-type=closed]');
    await closed.waitFor();
    assert.equal(await closed.count(), 1);
    await waitText(closed, '当场告知申领条件和材料清单');
    assert.match(await closed.getByTestId('timeline-actor').innerText(), /user:counter\.li@shgzb/);
    // nothing left to do: no clock runs, the only actions are those of a closed case
    assert.equal(await p.locator('[data-testid=obligation-state][data-state=open]').count(), 0);
    assert.equal(await tid(p, 'case-action-close').count(), 0);

    const c = await hub.api('GET', `/api/v1/cases/${id}`);
    assert.equal(c.body.status, 'closed');
    assert.equal(c.body.source_system, 'counter');
  });
});
