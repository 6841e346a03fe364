// A department record whose text is markup (served by sim-hotline12345) renders as
// plain text: the literal characters are on the page, no element or script came of
// them, and no dialog opened.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, signIn, startHub, tid } from './lib/harness.mjs';
import { CLOCK_START, MARKUP_12345, MARKUP_DESCRIPTION, MARKUP_TITLE } from './lib/matters.mjs';
import { waitText } from './lib/steps.mjs';

describe('markup in a department record', () => {
  let hub;
  let browser;
  let id;
  before(async () => {
    hub = await startHub({ name: 'markup', matters: [MARKUP_12345], records: 5, clockStart: CLOCK_START });
    browser = await launchBrowser();
    const all = await hub.api('GET', '/api/v1/cases?system=hotline12345&limit=50');
    id = all.body.items.find((c) => c.title.includes(MARKUP_TITLE))?.id;
    assert.ok(id, `the record reached the hub with its text as it was: ${all.text}`);
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  // Nothing the record's text could have made: its <img>, <script>, <b id=injected>.
  async function injected(p) {
    return p.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      scripts: [...document.scripts].map((s) => s.src || `inline: ${s.textContent.slice(0, 40)}`).filter((s) => !s.endsWith('/assets/js/main.js')),
      b: document.querySelectorAll('b, #injected').length,
      xss: typeof window.xss !== 'undefined',
    }));
  }

  it('the case page shows the title and description as text', async () => {
    const p = await newPage(browser);
    await signIn(p, hub, hub.accounts.counter);
    await p.goto(`${hub.base}/#/case/${id}`);
    await waitText(tid(p, 'case-title'), MARKUP_TITLE);
    await waitText(tid(p, 'case-description'), MARKUP_DESCRIPTION);
    assert.equal(await tid(p, 'case-description').innerText(), `来电人反映：${MARKUP_DESCRIPTION}`);
    await tid(p, 'timeline-item').first().waitFor();
    assert.deepEqual(await injected(p), { img: 0, scripts: [], b: 0, xss: false });
    assert.deepEqual(p.dialogs, []);
    assert.deepEqual(p.errors, []);
  });

  it('the queue and the search show it as text too', async () => {
    const p = await newPage(browser);
    await signIn(p, hub, hub.accounts.counter);
    await p.goto(`${hub.base}/#/queue?tab=all&q=${encodeURIComponent('路灯')}`);
    const row = p.locator(`[data-testid=queue-row][data-case-id="${id}"]`);
    await row.waitFor();
    assert.match(await row.getByTestId('queue-row-title').innerText(), /<img src=x onerror=alert\(1\)>路灯不亮$/);
    assert.deepEqual(await injected(p), { img: 0, scripts: [], b: 0, xss: false });
    assert.deepEqual(p.dialogs, []);
  });
});
