// Bad input at the counter: each problem is said next to its field in the user's
// language (the message tables' fe.* texts), the server's own check of the draft (the
// preview's "fields") says the same, and nothing typed is lost — not even across a
// reload of the page.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { choose, launchBrowser, messages, newPage, signIn, startHub, tid } from './lib/harness.mjs';
import { badCheckId, CLOCK_START, validId } from './lib/matters.mjs';
import { waitText } from './lib/steps.mjs';

const GOOD = {
  name: '张秀梅',
  phone: '13603501234',
  id: validId('14092919850620002'),
  town: '岚漪镇',
  village: '乔家湾村委会',
  grid: '140929100204-03',
  category: '矛盾纠纷',
  subtype: '邻里纠纷',
  title: '邻居排水冲毁院墙',
  description: '邻居家新修的排水沟正对着她家院墙，下雨后院墙被冲塌一段，协商不成。',
};
const TEXT_FIELDS = { name: 'intake-name', phone: 'intake-phone', id: 'intake-id-number', title: 'intake-title', description: 'intake-description' };
const SELECTS = { town: 'intake-town', village: 'intake-village', grid: 'intake-grid', category: 'intake-category', subtype: 'intake-subtype' };

async function fill(p, v, skip = []) {
  for (const [k, id] of Object.entries(TEXT_FIELDS)) if (!skip.includes(k)) await tid(p, id).fill(v[k]);
  for (const [k, id] of Object.entries(SELECTS)) if (!skip.includes(k)) await choose(tid(p, id), v[k]);
}

// What the form holds now, as the user sees it (select → the chosen option's text).
async function formValues(p) {
  const out = {};
  for (const [k, id] of Object.entries(TEXT_FIELDS)) out[k] = await tid(p, id).inputValue();
  for (const [k, id] of Object.entries(SELECTS)) out[k] = await tid(p, id).evaluate((s) => (s.value ? s.selectedOptions[0].textContent : ''));
  return out;
}

async function caseCount(hub) {
  const r = await hub.api('GET', '/api/v1/stats');
  return r.body.cases_total;
}

describe('bad input at the counter', () => {
  let hub;
  let browser;
  let zh;
  let en;
  before(async () => {
    hub = await startHub({ name: 'input', records: 5, clockStart: CLOCK_START });
    browser = await launchBrowser();
    zh = await messages('zh-CN');
    en = await messages('en');
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  it('in Chinese: a missing field, a wrong check digit and a short phone are each named; nothing typed is lost', async () => {
    const before = await caseCount(hub);
    const p = await newPage(browser, { locale: 'zh-CN' });
    await signIn(p, hub, hub.accounts.counter);

    // 1. the description left out
    await fill(p, GOOD, ['description']);
    await tid(p, 'intake-save').click();
    assert.equal(await waitText(tid(p, 'intake-description-error'), zh['fe.required']), zh['fe.required']);
    assert.equal(await tid(p, 'intake-invalid').innerText(), zh['intake.fix']);
    assert.deepEqual(await formValues(p), { ...GOOD, description: '' });
    // only that field is marked
    assert.equal(await tid(p, 'intake-name-error').innerText(), '');
    assert.equal(await tid(p, 'intake-phone-error').innerText(), '');

    // 2. the description typed, the ID number's check digit wrong
    await tid(p, 'intake-description').fill(GOOD.description);
    await tid(p, 'intake-id-number').fill(badCheckId('14092919850620002'));
    await tid(p, 'intake-save').click();
    assert.equal(await waitText(tid(p, 'intake-id-number-error'), zh['fe.id_check_digit']), zh['fe.id_check_digit']);
    assert.equal(await tid(p, 'intake-description-error').innerText(), '');
    // the server's check of the draft (POST /api/v1/cases/preview "fields") says the same, in Chinese
    await waitText(tid(p, 'preview-problems'), zh['fe.id_check_digit']);
    assert.deepEqual(await formValues(p), { ...GOOD, id: badCheckId('14092919850620002') });

    // a reload keeps the draft
    await p.reload();
    await tid(p, 'intake-form').waitFor();
    assert.deepEqual(await formValues(p), { ...GOOD, id: badCheckId('14092919850620002') });

    // 3. the ID number right, the phone one digit short
    await tid(p, 'intake-id-number').fill(GOOD.id);
    await tid(p, 'intake-phone').fill(GOOD.phone.slice(0, 10));
    await tid(p, 'intake-save').click();
    assert.equal(await waitText(tid(p, 'intake-phone-error'), zh['fe.phone_length']), zh['fe.phone_length']);
    assert.equal(await tid(p, 'intake-id-number-error').innerText(), '');
    await waitText(tid(p, 'preview-problems'), zh['fe.phone_length']);
    assert.deepEqual(await formValues(p), { ...GOOD, phone: GOOD.phone.slice(0, 10) });
    assert.equal(await caseCount(hub), before, 'nothing was saved while the form had problems');

    // 4. all right now: it saves what was typed
    await tid(p, 'intake-phone').fill(GOOD.phone);
    await tid(p, 'intake-save').click();
    const result = tid(p, 'intake-result');
    await result.waitFor();
    const c = await hub.api('GET', `/api/v1/cases/${await result.getAttribute('data-case-id')}`);
    assert.equal(c.body.title, GOOD.title);
    assert.equal(c.body.description, GOOD.description);
    assert.equal(c.body.category, '矛盾纠纷/邻里');
    assert.equal(c.body.place.grid_id, GOOD.grid);
    assert.equal(c.body.reporter.phone, '136****1234');
    assert.equal(await caseCount(hub), before + 1);
  });

  it('in English (browser locale en-US): the wrong check digit is said in English; nothing typed is lost', async () => {
    const p = await newPage(browser, { locale: 'en-US' });
    await p.goto(`${hub.base}/`);
    await waitText(tid(p, 'signin-submit'), en['signin.submit']);
    await signIn(p, hub, hub.accounts.counter);
    const bad = badCheckId('14092919850620002');
    await fill(p, { ...GOOD, id: bad });
    await tid(p, 'intake-save').click();
    assert.equal(await waitText(tid(p, 'intake-id-number-error'), en['fe.id_check_digit']), en['fe.id_check_digit']);
    assert.equal(await tid(p, 'intake-invalid').innerText(), en['intake.fix']);
    await waitText(tid(p, 'preview-problems'), en['fe.id_check_digit']);
    assert.deepEqual(await formValues(p), { ...GOOD, id: bad });
    assert.equal(await p.locator('html').getAttribute('lang'), 'en');
  });
});
