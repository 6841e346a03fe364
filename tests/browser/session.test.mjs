// An expired session: the hub's clock (a training hub's, `clock: {adjustable: true}`)
// is moved past web.idle_timeout_minutes; the next action in the page asks to sign in
// again over the form, which keeps what was typed, and is then carried out.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { api, choose, launchBrowser, messages, newPage, signIn, startHub, tid } from './lib/harness.mjs';
import { CLOCK_START } from './lib/matters.mjs';
import { waitText } from './lib/steps.mjs';

const IDLE_MINUTES = 30;

describe('an expired session', () => {
  let hub;
  let browser;
  before(async () => {
    hub = await startHub({ name: 'session', records: 5, clockStart: CLOCK_START, idleMinutes: IDLE_MINUTES });
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (hub) await hub.stop();
  });

  it('asks to sign in again, keeps what was typed and then saves it', async () => {
    const zh = await messages('zh-CN');
    const p = await newPage(browser);
    await signIn(p, hub, hub.accounts.counter);
    const typed = {
      'intake-name': '高志强',
      'intake-phone': '15803501234',
      'intake-title': '道路积水',
      'intake-description': '村口道路低洼处雨后积水，车辆和行人通行困难。',
    };
    for (const [id, v] of Object.entries(typed)) await tid(p, id).fill(v);
    await choose(tid(p, 'intake-town'), '岚漪镇');
    await choose(tid(p, 'intake-village'), '东街村委会');
    await choose(tid(p, 'intake-category'), '公共服务');
    // the preview of the whole draft (a POST: 公共服务 stays in the village) answered
    // while the session was alive, so the next request is the save
    await waitText(tid(p, 'preview-route'), '东街村委会');

    const moved = await hub.api('POST', '/api/v1/admin/clock', { body: { advance_seconds: (IDLE_MINUTES + 1) * 60 } });
    assert.equal(moved.status, 200, moved.text);
    // the session is over on the server: the cookie alone gets 401 session_expired
    const cookies = await p.context().cookies();
    const cookie = cookies.filter((c) => c.name === 'yz_session').map((c) => `${c.name}=${c.value}`).join('; ');
    const probe = await api(hub.base, 'GET', '/api/v1/session', { cookie });
    assert.equal(probe.status, 401);
    assert.equal(probe.body.error.code, 'session_expired');

    const before = (await hub.api('GET', '/api/v1/stats')).body.cases_total;
    await tid(p, 'intake-save').click();
    const dialog = tid(p, 'reauth-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.getByTestId('signin-notice').innerText(), zh['signin.expired']);
    assert.equal(await dialog.getByTestId('signin-name').inputValue(), hub.accounts.counter.name);
    // behind the dialog the form is as it was
    for (const [id, v] of Object.entries(typed)) assert.equal(await tid(p, id).inputValue(), v, id);
    assert.equal(await tid(p, 'intake-result').count(), 0);
    assert.equal((await hub.api('GET', '/api/v1/stats')).body.cases_total, before, 'nothing saved without a session');

    await dialog.getByTestId('signin-password').fill(hub.accounts.counter.password);
    await dialog.getByTestId('signin-submit').click();
    await dialog.waitFor({ state: 'detached' });
    // the save is repeated once signed in, with what was typed
    const result = tid(p, 'intake-result');
    await result.waitFor();
    const c = await hub.api('GET', `/api/v1/cases/${await result.getAttribute('data-case-id')}`);
    assert.equal(c.body.title, typed['intake-title']);
    assert.equal(c.body.description, typed['intake-description']);
    assert.equal((await hub.api('GET', '/api/v1/stats')).body.cases_total, before + 1);
    await waitText(tid(p, 'user-name'), hub.accounts.counter.name);
  });
});
