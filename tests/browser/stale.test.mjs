// A stale page: two browser contexts open the same case; one acts; the other acts on
// what it still shows — the server refuses it (409 stale), the page says so in the
// user's language, reloads the case and keeps what was typed.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, messages, newPage, signIn, startHub, tid } from './lib/harness.mjs';
import { CLOCK_START } from './lib/matters.mjs';
import { waitText } from './lib/steps.mjs';

describe('a stale page', () => {
  let hub;
  let browser;
  before(async () => {
    hub = await startHub({ name: 'stale', records: 5, clockStart: CLOCK_START });
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  it('acting on a case that moved on shows the stale message and reloads the case', async () => {
    const zh = await messages('zh-CN');
    const list = await hub.api('GET', '/api/v1/cases?status=dispatched&limit=1');
    const id = list.body.items[0].id;
    const first = await newPage(browser);
    const second = await newPage(browser);
    await signIn(first, hub, hub.accounts.counter);
    await signIn(second, hub, hub.accounts.counter);
    for (const p of [first, second]) {
      await p.goto(`${hub.base}/#/case/${id}`);
      await p.locator('[data-testid=case-status][data-status=dispatched]').waitFor();
    }
    // the second page starts to return it and types a reason ...
    await tid(second, 'case-action-return').click();
    const reason = '不属于本级事权，退回';
    await second.locator('[data-testid=action-form][data-action=return]').getByTestId('action-reason').fill(reason);
    // ... while the first signs for it
    await tid(first, 'case-action-accept').click();
    await first.locator('[data-testid=action-form][data-action=accept]').getByTestId('action-submit').click();
    await first.locator('[data-testid=case-status][data-status=in_progress]').waitFor();

    const answers = [];
    second.on('response', (r) => {
      if (r.request().method() === 'POST' && r.url().includes(`/api/v1/cases/${id}/actions/`)) answers.push(r.status());
    });
    await second.locator('[data-testid=action-form][data-action=return]').getByTestId('action-submit').click();
    const stale = tid(second, 'case-stale');
    await stale.waitFor();
    assert.deepEqual(answers, [409]);
    assert.equal(await stale.innerText(), zh['case.stale_status'].replace('{status}', zh['status.in_progress']));
    // the case reloaded: it shows what the first page did
    await second.locator('[data-testid=case-status][data-status=in_progress]').waitFor();
    await second.locator('[data-testid=timeline-item][data-type=accepted]').waitFor();
    // the form is open again with the reason typed
    const form = second.locator('[data-testid=action-form][data-action=return]');
    await form.waitFor();
    assert.equal(await form.getByTestId('action-reason').inputValue(), reason);
    // and nothing was returned
    const c = await hub.api('GET', `/api/v1/cases/${id}`);
    assert.equal(c.body.status, 'in_progress');
    assert.equal(c.body.events.filter((e) => e.type === 'returned').length, 0);
    await waitText(tid(second, 'case-status'), zh['status.in_progress']);
  });
});
