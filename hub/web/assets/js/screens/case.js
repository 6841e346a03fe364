// 案件 one case: header, every source system with its own id and link, obligations with
// their clocks, the actions the state machine allows now (each asking for what it
// needs, sent with expected_status), pending duplicates, merged members and the whole
// timeline. A stale page (409 stale) says so and reloads.

import { h, replace, clear, safeUrl } from '../dom.js';
import { has, label, list, t } from '../i18n.js';
import { ApiError, get, post } from '../api.js';
import { instant, plain } from '../fmt.js';
import {
  app,
  canJoin,
  canSeeClear,
  categoryLabel,
  channelLabel,
  departmentName,
  departments,
  dropDraft,
  dutyLabel,
  eventLabel,
  levelLabel,
  loadDraft,
  mayDo,
  placePath,
  ratingLabel,
  saveDraft,
  statusLabel,
  systemLabel,
} from '../state.js';
import { caseLink, clockChip, dataList, errorNode, errorText, field, message, section, statusBadge, table } from '../widgets.js';

const ORDER = ['accept', 'return', 'reassign', 'reply', 'suspend', 'resume', 'extend', 'close', 'follow_up', 'rate', 'reopen', 'review'];

// What each action's form asks for; '*' marks what the server requires.
const NEEDS = {
  accept: [],
  return: ['reason*'],
  reassign: ['departments*', 'reason*'],
  reply: ['text*'],
  close: ['text'],
  suspend: ['reason*'],
  resume: ['reason'],
  extend: ['duty*', 'by*', 'reason*'],
  follow_up: ['text', 'rating'],
  rate: ['rating*'],
  reopen: ['reason*'],
  review: ['reason*'],
};

const DEFAULT_RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'];

function lookup(view) {
  const idInput = h('input', { type: 'text', inputmode: 'numeric', 'data-testid': 'case-lookup-id', id: 'case-lookup-id' });
  const form = h('form', { class: 'card lookup', 'data-testid': 'case-lookup' },
    h('label', { for: 'case-lookup-id' }, t('case.lookup')), idInput,
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'case-lookup-go' }, t('case.open')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = idInput.value.trim().replace(/^#/, '');
    if (/^\d+$/.test(v)) location.hash = `#/case/${v}`;
  });
  replace(view, h('div', { class: 'page-head' }, h('h1', null, t('nav.case'))), form);
  idInput.focus();
}

// One open case screen: its id, the message line, the body, the action whose form is
// open (kept across reloads) and whether the screen is still shown.
export function render(view, ctx) {
  const id = ctx.parts[0];
  if (!id) return lookup(view);
  if (!/^\d+$/.test(id)) {
    replace(view, message('error', t('case.bad_id'), 'case-error'));
    return undefined;
  }

  const page = {
    id,
    msg: h('div', { class: 'case-msg', 'data-testid': 'case-message', 'aria-live': 'polite' }),
    body: h('div', { class: 'case-body' }),
    current: null,
    openAction: null,
    alive: true,
  };
  replace(view, h('div', { class: 'page-head' }, h('h1', null, t('case.heading', { id })),
    h('button', { type: 'button', class: 'btn', 'data-testid': 'case-reload', onclick: () => load(page) }, t('case.reload'))), page.msg, page.body);
  load(page);
  return () => {
    page.alive = false;
  };
}

async function load(page, keepMessage) {
  if (!keepMessage) clear(page.msg);
  page.body.classList.add('loading');
  try {
    const k = await get(`/api/v1/cases/${page.id}`);
    if (!page.alive) return;
    page.current = k;
    draw(page, k);
  } catch (e) {
    if (!page.alive) return;
    replace(page.body, errorNode(e, 'case-error'));
  } finally {
    page.body.classList.remove('loading');
  }
}

function say(page, kind, text, testid) {
  replace(page.msg, message(kind, text, testid));
}

function draw(page, k) {
  replace(page.body,
    h('div', { class: 'case-main' }, header(page, k), actionsCard(page, k), obligationsCard(k), sourcesCard(page, k), duplicatesCard(page, k), membersCard(page, k)),
    h('div', { class: 'case-side' }, timelineCard(page, k)));
}

// ---- header ----
// A reporter's field: the value, case.undecryptable when the server could not decrypt it (null), or —.
function undecryptable(v) {
  return v === null ? t('case.undecryptable') : v || '—';
}

function reporterNodes(rep) {
  return {
    repName: h('span', { 'data-testid': 'case-reporter-name' }, undecryptable(rep.name)),
    repPhone: h('span', { 'data-testid': 'case-reporter-phone' }, undecryptable(rep.phone)),
    repId: h('span', { 'data-testid': 'case-reporter-id' }, undecryptable(rep.id_number)),
  };
}

function placeFact(place) {
  return h('span', { 'data-testid': 'case-place' }, placePath(place.division_code),
    place.address ? ` ${place.address}` : '', place.grid_id ? h('span', { class: 'muted' }, ` · ${t('case.grid')} ${place.grid_id}`) : '');
}

function facts(k, nodes) {
  return [
    ['case.status', statusBadge(k.status, k.status_label, 'case-status')],
    ['case.level', h('span', { 'data-testid': 'case-level' }, levelLabel(k.level))],
    ['case.category', h('span', { 'data-testid': 'case-category' }, categoryLabel(k.category))],
    ['case.place', placeFact(k.place || {})],
    ['case.channel', channelLabel(k.channel)],
    ['case.urgency', label('urgency', k.urgency)],
    ['case.system', systemLabel(k.source_system)],
    ['case.received', instant(k.received_at)],
    ['case.updated', instant(k.updated_at)],
    ['case.reporter', h('span', { class: 'reporter', 'data-testid': 'case-reporter' }, nodes.repName, ' · ', nodes.repPhone, ' · ', nodes.repId)],
  ];
}

function header(page, k) {
  const rep = k.reporter || {};
  const nodes = reporterNodes(rep);
  const piiSlot = h('div', { class: 'pii-slot' });
  const head = h('section', { class: 'card case-header', 'data-testid': 'case-header', 'data-status': k.status },
    h('h2', { 'data-testid': 'case-title' }, k.title || t('case.untitled')),
    k.merged_into ? h('div', { class: 'msg msg-warn', 'data-testid': 'case-merged-into' }, t('case.merged_into'), ' ', caseLink(k.merged_into)) : null,
    k.problem_order ? h('div', { class: 'msg msg-error', 'data-testid': 'case-problem-order', 'data-rule': k.problem_order.rule },
      t('case.problem_order', { reason: k.problem_order.reason, department: departmentName(k.problem_order.department) })) : null,
    h('dl', { class: 'facts' }, facts(k, nodes).map(([key, v]) => [h('dt', null, t(key)), h('dd', null, v)])),
    h('div', { class: 'description', 'data-testid': 'case-description' }, k.description || ''),
    piiSlot);
  if (canSeeClear()) {
    const show = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'case-pii-show' }, t('pii.show'));
    show.addEventListener('click', () => piiForm(page, piiSlot, show, nodes, rep));
    piiSlot.appendChild(show);
  }
  return head;
}

// The reporter's clear data, asked for with a reason (the server logs the view).
function piiForm(page, slot, show, nodes, masked) {
  show.hidden = true;
  const reason = h('input', { type: 'text', maxlength: 200 });
  const f = field(t('pii.reason'), reason, { testid: 'case-pii-reason', required: true });
  const err = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-small', 'data-testid': 'case-pii-submit' }, t('pii.submit'));
  const cancel = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'case-pii-cancel' }, t('common.cancel'));
  const form = h('form', { class: 'inline-form', 'data-testid': 'case-pii-form', novalidate: true },
    h('p', { class: 'muted' }, t('pii.notice')), f.wrap, err, h('div', { class: 'actions' }, submit, cancel));
  slot.appendChild(form);
  reason.focus();
  cancel.addEventListener('click', () => {
    form.remove();
    show.hidden = false;
  });
  form.addEventListener('submit', (ev) => revealPii(page, ev, { slot, show, nodes, masked, reason, f, err, submit, form }));
}

async function revealPii(page, ev, p) {
  ev.preventDefault();
  if (!p.reason.value.trim()) {
    p.f.setError('required');
    return;
  }
  p.submit.disabled = true;
  try {
    const r = await get(`/api/v1/cases/${page.id}/pii`, { reason: p.reason.value.trim() });
    showReporter(p.nodes, r.reporter || {}, true);
    p.form.remove();
    p.slot.appendChild(hidePiiButton(p.nodes, p.masked, p.show));
  } catch (e) {
    replace(p.err, errorNode(e, 'case-pii-error'));
  } finally {
    p.submit.disabled = false;
  }
}

function showReporter(nodes, rep, isClear) {
  nodes.repName.textContent = undecryptable(rep.name);
  nodes.repPhone.textContent = undecryptable(rep.phone);
  nodes.repId.textContent = undecryptable(rep.id_number);
  for (const n of Object.values(nodes)) n.classList.toggle('clear-pii', isClear);
}

function hidePiiButton(nodes, masked, show) {
  const hide = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'case-pii-hide' }, t('pii.hide'));
  hide.addEventListener('click', () => {
    showReporter(nodes, masked, false);
    hide.remove();
    show.hidden = false;
  });
  return hide;
}

// ---- actions ----
function actionsCard(page, k) {
  const allowed = (k.allowed || []).filter((a) => mayDo(a, k));
  if (!allowed.length) return null;
  allowed.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const panel = h('div', { class: 'action-panel' });
  const bar = h('div', { class: 'action-bar', 'data-testid': 'case-actions' });
  for (const a of allowed) bar.appendChild(actionButton(page, k, a, bar, panel));
  if (page.openAction && allowed.includes(page.openAction)) {
    panel.appendChild(actionForm(page, k, page.openAction, () => {
      page.openAction = null;
      clear(panel);
      for (const b of bar.children) b.classList.remove('pressed');
    }));
  } else {
    page.openAction = null;
  }
  return h('section', { class: 'card' }, h('h2', null, t('case.actions')), bar, panel);
}

function actionButton(page, k, a, bar, panel) {
  const btn = h('button', {
    type: 'button',
    class: ['btn', a === page.openAction && 'pressed'],
    'data-testid': `case-action-${a}`,
    'aria-expanded': a === page.openAction ? 'true' : 'false',
  }, label('action', a));
  btn.addEventListener('click', () => {
    page.openAction = a;
    for (const b of bar.children) {
      b.classList.toggle('pressed', b === btn);
      b.setAttribute('aria-expanded', b === btn ? 'true' : 'false');
    }
    replace(panel, actionForm(page, k, a, () => {
      page.openAction = null;
      for (const b of bar.children) {
        b.classList.remove('pressed');
        b.setAttribute('aria-expanded', 'false');
      }
      clear(panel);
    }));
  });
  return btn;
}

function actionForm(page, k, action, close) {
  const draftKey = `action.${page.id}.${action}`;
  const draft = loadDraft(draftKey) || {};
  const needs = NEEDS[action] || ['reason'];
  const parts = {};
  const keep = () => saveDraft(draftKey, actionValues(parts));
  const fields = [];
  for (const spec of needs) {
    const name = spec.replace('*', '');
    parts[name] = actionField(name, spec.endsWith('*'), { k, action, draft, keep });
    fields.push(parts[name].wrap);
  }
  if (parts.duty) parts.duty.control.addEventListener('change', () => extendHint(k, parts));
  extendHint(k, parts);

  const err = h('div', { 'data-testid': 'action-error-slot' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'action-submit' }, t('action.submit', { action: label('action', action) }));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'action-cancel' }, t('common.cancel'));
  const form = h('form', { class: 'inline-form action-form', 'data-testid': 'action-form', 'data-action': action, novalidate: true },
    h('h3', null, label('action', action)),
    h('p', { class: 'muted' }, t(`action.help.${action}`)),
    fields, err, h('div', { class: 'actions' }, submit, cancel));
  form.addEventListener('input', keep);
  form.addEventListener('change', keep);
  cancel.addEventListener('click', () => {
    dropDraft(draftKey);
    close();
  });
  form.addEventListener('submit', (ev) => submitAction(page, ev, { k, action, needs, parts, draftKey, err, submit }));
  setTimeout(() => {
    const first = form.querySelector('textarea, input, select');
    if (first) first.focus();
  }, 0);
  return form;
}

// One field of an action's form: {wrap, control, setError} as widgets.field gives.
function actionField(name, required, ctx) {
  if (name === 'reason' || name === 'text') return textField(name, required, ctx);
  if (name === 'rating') return ratingField(required, ctx);
  if (name === 'duty') return dutyField(required, ctx);
  if (name === 'by') return byField(required, ctx);
  if (name === 'departments') return departmentPicker(ctx.draft.departments || [], ctx.keep);
  return undefined;
}

function textField(name, required, { action, draft }) {
  const el = h('textarea', { rows: 2, maxlength: 2000 });
  el.value = draft[name] || '';
  const specific = `action.field.${name}.${action}`;
  return field(t(has(specific) ? specific : `action.field.${name}`),
    el, { testid: `action-${name}`, required, wide: true });
}

function ratingField(required, { draft }) {
  const ratings = (app.ref && app.ref.ratings && app.ref.ratings.length ? app.ref.ratings : DEFAULT_RATINGS);
  const el = h('select', null, required ? null : h('option', { value: '' }, t('action.no_rating')),
    ratings.map((r) => h('option', { value: r, selected: draft.rating === r }, ratingLabel(r))));
  return field(t('action.field.rating'), el, { testid: 'action-rating', required });
}

function dutyField(required, { k, draft }) {
  const duties = [...new Set((k.obligations || []).filter((o) => o.state === 'open' || o.state === 'overdue').map((o) => o.duty))];
  if (!duties.length) duties.push('handle');
  const pick = draft.duty || (duties.includes('handle') ? 'handle' : duties[0]);
  const el = h('select', null, duties.map((d) => h('option', { value: d, selected: d === pick }, dutyLabel(d))));
  return field(t('action.field.duty'), el, { testid: 'action-duty', required });
}

function byField(required, { draft }) {
  const el = h('input', { type: 'number', min: 1, step: 1, value: draft.by || '' });
  const by = field(t('action.field.by'), el, { testid: 'action-by', required });
  const hint = h('div', { class: 'field-hint', 'data-testid': 'action-by-hint' });
  by.wrap.insertBefore(hint, by.wrap.lastChild);
  by.hint = hint;
  return by;
}

function actionValues(parts) {
  const v = {};
  for (const [n, p] of Object.entries(parts)) v[n] = n === 'departments' ? p.value() : p.control.value;
  return v;
}

// extend: the unit and limit of the chosen duty's clock
function extendHint(k, parts) {
  if (!parts.by || !parts.duty) return;
  const o = (k.obligations || []).find((x) => x.duty === parts.duty.control.value && (x.state === 'open' || x.state === 'overdue'));
  replace(parts.by.hint, o ? t('action.extend_hint', { unit: label('unit', o.unit), max: o.extend_max || 0 }) : '');
}

// The checks the server makes, each error next to its field; true when all pass.
function checkAction(needs, parts, v) {
  let bad = false;
  for (const spec of needs) {
    const name = spec.replace('*', '');
    const p = parts[name];
    p.setError('');
    const empty = name === 'departments' ? !v.departments.length : !String(v[name] || '').trim();
    if (spec.endsWith('*') && empty) {
      p.setError('required');
      bad = true;
    }
    if (name === 'by' && !empty && !(Number.isInteger(Number(v.by)) && Number(v.by) > 0)) {
      p.setError('positive_integer');
      bad = true;
    }
  }
  return !bad;
}

function actionPayload(k, action, v) {
  const payload = { expected_status: k.status };
  for (const [n, val] of Object.entries(v)) {
    if (n === 'by') payload.by = Number(val);
    else if (n === 'departments') payload.departments = val;
    else if (String(val).trim()) payload[n] = String(val).trim();
  }
  // Several departments chosen: joint consultation (会商), the level the server sets
  // only when asked (docs/web-api.md "One case").
  if (action === 'reassign' && (payload.departments || []).length > 1) payload.level = 'joint';
  return payload;
}

async function submitAction(page, ev, a) {
  ev.preventDefault();
  clear(a.err);
  const v = actionValues(a.parts);
  if (!checkAction(a.needs, a.parts, v)) return;
  const payload = actionPayload(a.k, a.action, v);
  a.submit.disabled = true;
  try {
    await post(`/api/v1/cases/${page.id}/actions/${a.action}`, payload);
    dropDraft(a.draftKey);
    page.openAction = null;
    say(page, 'ok', t('case.done', { action: label('action', a.action) }), 'case-action-done');
    await load(page, true);
  } catch (e) {
    await actionRefused(page, e, a.err);
  } finally {
    a.submit.disabled = false;
  }
}

// 409 stale: the case moved on; say to what and reload (the form reopens with its draft).
async function actionRefused(page, e, err) {
  if (!(e instanceof ApiError)) throw e;
  if (e.code === 'user_changed') return;
  if (e.status === 409 && e.code === 'stale') {
    const refusal = (e.body && e.body.error) || {};
    const now = refusal.status || (e.body && e.body.status) || '';
    say(page, 'warn', now ? t('case.stale_status', { status: statusLabel(now) }) : t('case.stale'), 'case-stale');
    await load(page, true);
  } else if (e.status === 409 && e.allowed) {
    replace(page.msg, h('div', { class: 'msg msg-warn', 'data-testid': 'case-conflict' }, errorText(e),
      e.detail ? h('span', { class: 'msg-detail' }, e.detail) : null));
    await load(page, true);
  } else {
    replace(err, errorNode(e, 'action-error'));
  }
}

// Departments as checkboxes grouped by level; several chosen = joint consultation (会商).
function departmentPicker(chosen, onChange) {
  const filter = h('input', { type: 'search', placeholder: t('action.departments_filter'), 'data-testid': 'action-departments-filter', 'aria-label': t('action.departments_filter') });
  const count = h('span', { class: 'muted', 'data-testid': 'action-departments-count' });
  const boxes = [];
  const list = departmentList(chosen, boxes);
  const err = h('div', { class: 'field-error', 'data-testid': 'action-departments-error' });
  const wrap = h('div', { class: 'field field-wide' }, h('div', { class: 'field-label' }, t('action.field.departments'), h('span', { class: 'req' }, '*')),
    h('div', { class: 'dept-tools' }, filter, count), list, h('div', { class: 'field-hint' }, t('action.joint_hint')), err);
  const value = () => boxes.filter((b) => b.cb.checked).map((b) => b.cb.value);
  const recount = () => {
    const n = value().length;
    count.textContent = n > 1 ? t('action.joint', { n }) : t('action.chosen', { n });
  };
  list.addEventListener('change', () => {
    recount();
    onChange();
  });
  filter.addEventListener('input', () => {
    const q = filter.value.trim();
    for (const b of boxes) b.row.hidden = !!q && !b.row.getAttribute('data-name').includes(q);
  });
  recount();
  return {
    wrap,
    control: filter,
    value,
    setError(code) {
      err.textContent = code ? t(`fe.${code}`) : '';
      wrap.classList.toggle('invalid', !!code);
    },
  };
}

// The checkbox list, one fieldset per level; each box and its row pushed onto boxes.
function departmentList(chosen, boxes) {
  const groups = new Map();
  for (const d of departments()) {
    if (!groups.has(d.level)) groups.set(d.level, []);
    groups.get(d.level).push(d);
  }
  const list = h('div', { class: 'dept-list', 'data-testid': 'action-departments', role: 'group', 'aria-label': t('action.field.departments') });
  for (const [lvl, ds] of groups) {
    const g = h('fieldset', { class: 'dept-group' }, h('legend', null, label('level', lvl)));
    for (const d of ds) {
      const cb = h('input', { type: 'checkbox', value: d.id, checked: chosen.includes(d.id), 'data-testid': `action-department-${d.id}`, id: `dept-${d.id}` });
      const row = h('label', { class: 'dept', for: `dept-${d.id}`, 'data-name': `${d.name} ${d.short || ''} ${d.id}` }, cb, ` ${d.short || d.name}`);
      boxes.push({ cb, row });
      g.appendChild(row);
    }
    list.appendChild(g);
  }
  return list;
}

// ---- obligations, sources, duplicates, members ----
function obligationsCard(k) {
  const rows = (k.obligations || []).map((o) => ({
    class: `ob-${o.state}`,
    cells: [
      departmentName(o.department),
      dutyLabel(o.duty),
      h('span', { 'data-testid': 'obligation-state', 'data-state': o.state }, label('ostate', o.state)),
      instant(o.due_at),
      o.state === 'met' || o.state === 'cancelled' ? h('span', { class: 'muted' }, instant(o.closed_at)) : clockChip({ ...o, department: '', duty: '' }, 'obligation-clock'),
      o.extended ? t('common.yes') : '',
    ],
  }));
  return section('case.obligations', table(['col.department', 'col.duty', 'col.state', 'col.due_at', 'col.time_left', 'col.extended'], rows, {
    testid: 'case-obligations', rowTestid: 'obligation-row', emptyKey: 'case.no_obligations',
  }));
}

function sourcesCard(page, k) {
  const rows = (k.sources || []).map((s) => {
    const href = safeUrl(s.url);
    return [
      systemLabel(s.system),
      s.instance,
      h('span', { 'data-testid': 'source-external-id' }, s.external_id),
      href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'source-link' }, t('case.open_source')) : s.url || '—',
      instant(s.first_seen),
      instant(s.last_seen),
      s.case_id && String(s.case_id) !== page.id ? caseLink(s.case_id) : '',
    ];
  });
  return section('case.sources', table(['col.system', 'col.instance', 'col.external_id', 'col.link', 'col.first_seen', 'col.last_seen', 'col.via_case'], rows, {
    testid: 'case-sources', rowTestid: 'source-row',
  }));
}

function reasonBox(testid) {
  return h('input', { type: 'text', maxlength: 200, placeholder: t('common.reason_optional'), 'aria-label': t('common.reason_optional'), 'data-testid': testid });
}

function duplicatesCard(page, k) {
  const pending = (k.duplicates || []).filter((p) => !p.status || p.status === 'pending');
  if (!pending.length) return null;
  return section('case.duplicates', h('ul', { class: 'duplist', 'data-testid': 'case-duplicates' }, pending.map((p) => duplicateItem(page, p))));
}

function duplicateItem(page, p) {
  const other = String(p.case_id) === page.id ? p.candidate_id : p.case_id;
  const reason = canJoin() ? reasonBox('dup-reason') : null;
  const err = h('div');
  const decide = (verb) => decideDuplicate(page, p, verb, reason, err);
  return h('li', { class: 'dup', 'data-testid': 'dup-item', 'data-proposal-id': p.id },
    h('div', null, t('dup.with'), ' ', caseLink(other, `#${other}`, 'dup-case'), ' ',
      h('span', { class: 'score' }, t('dup.score', { score: Math.round((p.score || 0) * 100) })),
      h('span', { class: 'muted' }, ` ${instant(p.created_at)}`)),
    dataList(p.reasons, 'dup-reasons'),
    canJoin() ? h('div', { class: 'actions' }, reason,
      h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'dup-accept', onclick: decide('accept') }, t('dup.accept')),
      h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'dup-reject', onclick: decide('reject') }, t('dup.reject'))) : null,
    err);
}

// The click handler that accepts or rejects a duplicate proposal.
function decideDuplicate(page, p, verb, reason, err) {
  return async (ev) => {
    ev.target.disabled = true;
    try {
      await post(`/api/v1/duplicates/${p.id}/${verb}`, reason && reason.value.trim() ? { reason: reason.value.trim() } : {});
      say(page, 'ok', t(verb === 'accept' ? 'dup.accepted' : 'dup.rejected'), 'dup-done');
      await load(page, true);
    } catch (e) {
      replace(err, errorNode(e, 'dup-error'));
      ev.target.disabled = false;
    }
  };
}

function unmergeControl(page, caseId, testid) {
  if (!canJoin()) return null;
  const reason = reasonBox(`${testid}-reason`);
  const err = h('div');
  const btn = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': testid }, t('merge.unmerge'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      await post(`/api/v1/cases/${caseId}/unmerge`, reason.value.trim() ? { reason: reason.value.trim() } : {});
      say(page, 'ok', t('merge.unmerged', { id: caseId }), 'unmerge-done');
      await load(page, true);
    } catch (e) {
      replace(err, errorNode(e, 'unmerge-error'));
      btn.disabled = false;
    }
  });
  return h('span', { class: 'actions' }, reason, btn, err);
}

function membersCard(page, k) {
  const members = k.members || [];
  if (!members.length && !k.merged_into) return null;
  const items = members.map((m) => {
    const mid = typeof m === 'object' && m !== null ? m.id : m;
    return h('li', { 'data-testid': 'member-item', 'data-case-id': mid }, caseLink(mid), ' ', unmergeControl(page, mid, 'member-unmerge'));
  });
  return section('case.members',
    members.length ? h('ul', { class: 'memberlist', 'data-testid': 'case-members' }, items) : null,
    k.merged_into ? h('div', { 'data-testid': 'case-self-merged' }, t('case.merged_into'), ' ', caseLink(k.merged_into), ' ', unmergeControl(page, page.id, 'case-unmerge')) : null);
}

// ---- timeline ----
function side(v) {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') {
    if (app.ref && (app.ref.statuses || []).some((x) => x.id === v)) return statusLabel(v);
    return departmentName(v);
  }
  if (Array.isArray(v)) return list(v.map(side));
  if (typeof v === 'object' && Array.isArray(v.departments)) return list(v.departments.map((d) => departmentName(d))) || levelLabel(v.level);
  return plain(v);
}

function timelineCard(page, k) {
  const items = (k.events || []).map((e) => timelineItem(page, e));
  return h('section', { class: 'card timeline' }, h('h2', null, t('case.timeline'), h('span', { class: 'count' }, String(items.length))),
    h('ol', { class: 'events', 'data-testid': 'case-timeline' }, items));
}

function timelineItem(page, e) {
  const d = e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? e.data : {};
  const from = side(d.from);
  const to = d.to !== undefined ? side(d.to) : Array.isArray(d.departments) ? side(d.departments) : '';
  return h('li', { class: `ev ev-${e.type}`, 'data-testid': 'timeline-item', 'data-seq': e.seq, 'data-type': e.type },
    h('div', { class: 'ev-head' },
      h('span', { class: 'ev-seq' }, `#${e.seq}`),
      h('time', { datetime: e.at }, instant(e.at)),
      h('strong', { class: 'ev-type', 'data-testid': 'timeline-type' }, eventLabel(e.type)),
      h('span', { class: 'ev-actor', 'data-testid': 'timeline-actor' }, e.actor || ''),
      e.case_id && String(e.case_id) !== page.id ? h('span', { class: 'ev-case' }, t('case.event_of'), ' ', caseLink(e.case_id)) : null),
    from || to ? h('div', { class: 'ev-move', 'data-testid': 'timeline-move' }, from ? `${from} → ` : '→ ', to || '—') : null,
    d.reason ? h('div', { class: 'ev-reason', 'data-testid': 'timeline-reason' }, t('case.reason_line', { reason: plain(d.reason) })) : null,
    d.text ? h('div', { class: 'ev-text', 'data-testid': 'timeline-text' }, plain(d.text)) : null,
    typeof e.data === 'object' ? dataList(e.data, 'timeline-data') : e.data ? h('div', { class: 'kv', 'data-testid': 'timeline-data' }, String(e.data)) : null);
}
