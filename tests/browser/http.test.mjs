// The page's API over plain HTTP from node (no browser): a session cookie without its
// CSRF token, or with another session's, is refused; an auditor's session may read but
// not act; bad intake bodies are 422 with a code per field; a stale action is 409.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { api, startHub } from './lib/harness.mjs';
import { badCheckId, CLOCK_START, validId } from './lib/matters.mjs';

async function session(hub, account) {
  const r = await api(hub.base, 'POST', '/api/v1/session', { body: { name: account.name, password: account.password } });
  assert.equal(r.status, 200, r.text);
  const set = r.headers.get('set-cookie') || '';
  assert.match(set, /yz_session=[^;]+; .*HttpOnly/);
  assert.match(set, /SameSite=Strict/);
  return { cookie: set.split(';')[0], csrf: r.body.csrf_token, body: r.body };
}

const DRAFT = {
  reporter: { name: '李四', phone: '13700001234', id_number: validId('14092919900101001') },
  division_code: '140929100200',
  grid_id: '140929100200-01',
  category: '矛盾纠纷/邻里',
  channel: '窗口',
  description: '邻居装修噪音。',
};

describe('the page API over HTTP', () => {
  let hub;
  let counter;
  let auditor;
  let caseId;
  before(async () => {
    hub = await startHub({ name: 'http', records: 5, clockStart: CLOCK_START });
    counter = await session(hub, hub.accounts.counter);
    auditor = await session(hub, hub.accounts.auditor);
    caseId = (await hub.api('GET', '/api/v1/cases?status=dispatched&limit=1')).body.items[0].id;
  });
  after(async () => {
    if (hub) await hub.stop();
  });

  it('a POST with the session cookie but no X-CSRF-Token is refused 403 csrf', async () => {
    const r = await api(hub.base, 'POST', '/api/v1/cases/preview', { cookie: counter.cookie, body: DRAFT });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, 'csrf');
    const act = await api(hub.base, 'POST', `/api/v1/cases/${caseId}/actions/accept`, { cookie: counter.cookie, body: {} });
    assert.equal(act.status, 403, act.text);
    assert.equal(act.body.error.code, 'csrf');
    // another session's token is no better
    const other = await session(hub, hub.accounts.counter);
    const wrong = await api(hub.base, 'POST', '/api/v1/cases/preview', { cookie: counter.cookie, headers: { 'X-CSRF-Token': other.csrf }, body: DRAFT });
    assert.equal(wrong.status, 403, wrong.text);
    assert.equal(wrong.body.error.code, 'csrf');
    // with its own token the same call goes through, and the case did not move
    const ok = await api(hub.base, 'POST', '/api/v1/cases/preview', { cookie: counter.cookie, headers: { 'X-CSRF-Token': counter.csrf }, body: DRAFT });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await hub.api('GET', `/api/v1/cases/${caseId}`)).body.status, 'dispatched');
  });

  it('an auditor\'s session, with its own CSRF token, may read but is refused 403 on every change', async () => {
    const read = await api(hub.base, 'GET', `/api/v1/cases/${caseId}`, { cookie: auditor.cookie });
    assert.equal(read.status, 200, read.text);
    const headers = { 'X-CSRF-Token': auditor.csrf };
    const tries = [
      ['POST', `/api/v1/cases/${caseId}/actions/accept`, {}],
      ['POST', `/api/v1/cases/${caseId}/actions/close`, { text: 'x' }],
      ['POST', '/api/v1/cases/preview', DRAFT],
      ['POST', '/api/v1/cases', DRAFT, { 'Idempotency-Key': 'auditor-try-1' }],
    ];
    for (const [method, path, body, extra] of tries) {
      const r = await api(hub.base, method, path, { cookie: auditor.cookie, headers: { ...headers, ...extra }, body });
      assert.equal(r.status, 403, `${method} ${path} → ${r.status} ${r.text}`);
      assert.notEqual(r.body.error.code, 'csrf', 'refused for the role, not for the token');
    }
    // a department's operator may not do the counter's work either
    const handler = await session(hub, hub.accounts.handler);
    for (const [path, body] of [[`/api/v1/cases/${caseId}/actions/close`, { text: 'x' }], [`/api/v1/cases/${caseId}/actions/reassign`, { reason: 'x', departments: ['zrzyj'] }]]) {
      const r = await api(hub.base, 'POST', path, { cookie: handler.cookie, headers: { 'X-CSRF-Token': handler.csrf }, body });
      assert.equal(r.status, 403, `${path} → ${r.status} ${r.text}`);
    }
    assert.equal((await hub.api('GET', `/api/v1/cases/${caseId}`)).body.status, 'dispatched');
  });

  it('bad intake bodies are 422 with a code per field; the same key and body make one case', async () => {
    const h = { 'X-CSRF-Token': counter.csrf };
    const post = (body, key) => api(hub.base, 'POST', '/api/v1/cases', { cookie: counter.cookie, headers: { ...h, 'Idempotency-Key': key }, body });
    const fieldCodes = (r) => Object.fromEntries(r.body.error.fields.map((f) => [f.field, f.code]));
    const missing = await post({ ...DRAFT, description: '' }, 'http-1');
    assert.equal(missing.status, 422, missing.text);
    assert.equal(missing.body.error.code, 'invalid');
    assert.deepEqual(fieldCodes(missing), { description: 'required' });
    const id = await post({ ...DRAFT, reporter: { ...DRAFT.reporter, id_number: badCheckId('14092919900101001') } }, 'http-2');
    assert.equal(id.status, 422, id.text);
    assert.deepEqual(fieldCodes(id), { 'reporter.id_number': 'id_check_digit' });
    const phone = await post({ ...DRAFT, reporter: { ...DRAFT.reporter, phone: '1370000123' } }, 'http-3');
    assert.equal(phone.status, 422, phone.text);
    assert.deepEqual(fieldCodes(phone), { 'reporter.phone': 'phone_length' });
    const noKey = await api(hub.base, 'POST', '/api/v1/cases', { cookie: counter.cookie, headers: h, body: DRAFT });
    assert.equal(noKey.status, 400, noKey.text);
    assert.equal(noKey.body.error.code, 'idempotency_key');
    const made = await post(DRAFT, 'http-4');
    assert.equal(made.status, 201, made.text);
    const again = await post(DRAFT, 'http-4');
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.replayed, true);
    assert.equal(again.body.case.id, made.body.case.id);
    const conflict = await post({ ...DRAFT, description: '另一件事。' }, 'http-4');
    assert.equal(conflict.status, 409, conflict.text);
    assert.equal(conflict.body.error.code, 'idempotency_conflict');
  });

  it('an action with an expected status the case has left is 409 stale with the status now', async () => {
    const h = { 'X-CSRF-Token': counter.csrf };
    const accept = await api(hub.base, 'POST', `/api/v1/cases/${caseId}/actions/accept`, { cookie: counter.cookie, headers: h, body: { expected_status: 'dispatched' } });
    assert.equal(accept.status, 200, accept.text);
    const late = await api(hub.base, 'POST', `/api/v1/cases/${caseId}/actions/return`, { cookie: counter.cookie, headers: h, body: { expected_status: 'dispatched', reason: '退回' } });
    assert.equal(late.status, 409, late.text);
    assert.equal(late.body.error.code, 'stale');
    assert.equal(late.body.error.status, 'in_progress');
  });

  // Found by this suite: 签收 (accept → in_progress) was allowed on a replied, closed or
  // rated case, reopening it with no reason, by a department.
  it('a department may not sign for (签收) a closed case: reopening is the counter\'s, with a reason',
    async () => {
      const h = (s) => ({ cookie: s.cookie, headers: { 'X-CSRF-Token': s.csrf } });
      const handler = await session(hub, hub.accounts.handler);
      const made = await api(hub.base, 'POST', '/api/v1/cases', { ...h(counter), headers: { ...h(counter).headers, 'Idempotency-Key': 'http-closed-1' }, body: { ...DRAFT, description: '宅基地界址不清。', category: '矛盾纠纷/土地' } });
      assert.equal(made.status, 201, made.text);
      const id = made.body.case.id;
      const act = (s, action, body) => api(hub.base, 'POST', `/api/v1/cases/${id}/actions/${action}`, { ...h(s), body });
      assert.equal((await act(counter, 'reassign', { reason: '自然资源局办理', departments: ['zrzyj'] })).status, 200);
      assert.equal((await act(handler, 'accept', {})).status, 200);
      assert.equal((await act(handler, 'reply', { text: '已答复' })).status, 200);
      assert.equal((await act(counter, 'close', { text: '办结' })).status, 200);
      const closed = await hub.api('GET', `/api/v1/cases/${id}`);
      assert.ok(!closed.body.allowed.includes('accept'), `allowed on a closed case: ${closed.body.allowed}`);
      const again = await act(handler, 'accept', { expected_status: 'closed' });
      assert.equal(again.status, 409, again.text);
      assert.equal((await hub.api('GET', `/api/v1/cases/${id}`)).body.status, 'closed');
    });
});
