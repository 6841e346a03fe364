// 部门考评: the dashboard's ranking table shows what GET /api/v1/ratings says — each
// department's rank, its four rates with the counts behind them, score and trend — once
// a department has signed for a case.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, signIn, startHub, tid } from './lib/harness.mjs';
import { CLOCK_START } from './lib/matters.mjs';
import { registerByApi } from './lib/steps.mjs';

describe('部门考评', () => {
  let hub;
  let browser;
  before(async () => {
    hub = await startHub({ name: 'ratings', clockStart: CLOCK_START });
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  it('ranks the departments with their rates and the counts behind them', async () => {
    // The counter registers a matter; the department it goes to signs for it in time
    // (the admin's accept: every routed department's sign-for is met).
    const created = await registerByApi(hub, 'ratings-1', {
      reporter: { name: '王建国', phone: '13912345678' }, title: '承包地界址纠纷', description: '与邻居因承包地界址发生争执，对方越界耕种约两分地。',
    });
    const signFor = created.obligations.find((o) => o.duty === 'sign_for');
    assert.ok(signFor, JSON.stringify(created.obligations));
    const accepted = await hub.api('POST', `/api/v1/cases/${created.case.id}/actions/accept`, { body: { reason: '签收' } });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));

    const range = 'from=2026-03-01&to=2026-03-07';
    const ratings = (await hub.api('GET', `/api/v1/ratings?${range}`)).body;
    const mine = ratings.departments.find((d) => d.department === signFor.department);
    assert.ok(mine, `${signFor.department} is rated`);
    assert.ok(mine.rates.sign_for_on_time.numerator >= 1, JSON.stringify(mine));

    const p = await newPage(browser);
    await signIn(p, hub, hub.accounts.counter);
    await p.goto(`${hub.base}/#/stats?${range}`);
    const rows = tid(p, 'stats-rating-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), ratings.departments.length);
    // The first row is the best: its rank, score and rates as the API gives them.
    const best = ratings.departments[0];
    const first = rows.first();
    const cells = await first.locator('td').allInnerTexts();
    assert.equal(cells[0], String(best.rank));
    assert.equal(await first.getByTestId('rating-score').innerText(), (best.score * 100).toFixed(1));
    const rate = best.rates.sign_for_on_time;
    const shown = await first.getByTestId('rating-sign_for_on_time').innerText();
    assert.match(shown, new RegExp(`${rate.numerator}/${rate.denominator}`), shown);
    if (rate.rate !== null) assert.ok(shown.startsWith(`${(rate.rate * 100).toFixed(1)}%`), shown);
    // Headings in Chinese.
    const head = await tid(p, 'stats-ratings-table').locator('th').allInnerTexts();
    for (const h of ['排名', '按时签收率', '按时办结率', '群众满意率', '发回重办率', '得分', '趋势'])
      assert.ok(head.includes(h), `${h} in ${head.join(' ')}`);
  });
});
