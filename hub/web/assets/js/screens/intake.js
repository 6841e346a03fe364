// 受理 intake: a citizen's matter registered at the counter. While it is typed the
// preview shows the person's other open matters (一人一档), likely duplicates and where
// routing would send it with its deadlines; saving is idempotent (one key per form).

import { h, replace, clear, debounce } from '../dom.js';
import { has, label, list, t } from '../i18n.js';
import { ApiError, newKey, post, request } from '../api.js';
import { instant } from '../fmt.js';
import {
  app,
  categoryClasses,
  categoryLabel,
  channelLabel,
  departmentName,
  dropDraft,
  dutyLabel,
  grids,
  levelLabel,
  loadDraft,
  placePath,
  saveDraft,
  subtypes,
  towns,
  villages,
  systemLabel,
} from '../state.js';
import { intakeProblems, idNumberProblem, phoneProblem } from '../validate.js';
import { caseLink, dataList, errorNode, field, input, message, statusBadge, table } from '../widgets.js';

const DRAFT = 'intake';
const URGENCIES = ['normal', 'urgent'];

// Which control shows the error of a body field.
const FIELD_CONTROL = {
  'reporter.name': 'name',
  'reporter.phone': 'phone',
  'reporter.id_number': 'id_number',
  division_code: 'town',
  grid_id: 'grid',
  address: 'address',
  category: 'cls',
  channel: 'channel',
  urgency: 'urgency',
  title: 'title',
  description: 'description',
  settle: 'outcome',
  'settle.outcome': 'outcome',
};

function opt(value, text, selected) {
  return h('option', { value, selected: !!selected }, text);
}

// The screen's state: the draft's values and Idempotency-Key, the controls (c) and
// their fields (f), the parts of the layout and the debounced preview.
export function render(view) {
  const draft = loadDraft(DRAFT) || {};
  const page = { values: draft.values || {}, key: draft.key || newKey(), saving: false, previewSeq: 0 };
  page.c = controls(page.values);
  page.f = fields(page.c);
  fillOptions(page);
  layout(view, page);
  page.runPreview = debounce(() => previewNow(page), 400);
  listen(page);
  keepDraft(page);
  if (page.values.phone || page.values.id_number || page.values.town) page.runPreview();
  return () => page.runPreview.cancel();
}

// ---- controls ----
function controls(values) {
  const c = {
    name: input({ name: 'name', value: values.name || '' }),
    phone: input({ name: 'phone', inputmode: 'tel', value: values.phone || '' }),
    id_number: input({ name: 'id_number', value: values.id_number || '' }),
    town: h('select', { name: 'town' }),
    village: h('select', { name: 'village' }),
    grid: h('select', { name: 'grid' }),
    address: input({ name: 'address', value: values.address || '' }),
    cls: h('select', { name: 'cls' }),
    sub: h('select', { name: 'sub' }),
    channel: h('select', { name: 'channel' }),
    urgency: h('select', { name: 'urgency' }),
    title: input({ name: 'title', value: values.title || '' }),
    description: h('textarea', { name: 'description', rows: 3 }),
    settle: h('input', { type: 'checkbox', name: 'settle', checked: !!values.settle }),
    outcome: h('textarea', { name: 'outcome', rows: 2 }),
  };
  c.description.value = values.description || '';
  c.outcome.value = values.outcome || '';
  return c;
}

function fields(c) {
  const f = {
    name: field(t('intake.name'), c.name, { testid: 'intake-name', required: true }),
    phone: field(t('intake.phone'), c.phone, { testid: 'intake-phone', required: true, hint: t('intake.phone_hint') }),
    id_number: field(t('intake.id_number'), c.id_number, { testid: 'intake-id-number', hint: t('intake.id_hint') }),
    town: field(t('intake.town'), c.town, { testid: 'intake-town', required: true }),
    village: field(t('intake.village'), c.village, { testid: 'intake-village' }),
    grid: field(t('intake.grid'), c.grid, { testid: 'intake-grid' }),
    address: field(t('intake.address'), c.address, { testid: 'intake-address', wide: true }),
    cls: field(t('intake.category'), c.cls, { testid: 'intake-category', required: true }),
    sub: field(t('intake.subtype'), c.sub, { testid: 'intake-subtype' }),
    channel: field(t('intake.channel'), c.channel, { testid: 'intake-channel', required: true }),
    urgency: field(t('intake.urgency'), c.urgency, { testid: 'intake-urgency' }),
    title: field(t('intake.title'), c.title, { testid: 'intake-title', wide: true }),
    description: field(t('intake.description'), c.description, { testid: 'intake-description', required: true, wide: true }),
    outcome: field(t('intake.outcome'), c.outcome, { testid: 'intake-settle-outcome', required: true, wide: true }),
  };
  c.settle.setAttribute('data-testid', 'intake-settle');
  c.settle.id = 'intake-settle';
  return f;
}

// ---- select options ----
function fillOptions(page) {
  const { c, values } = page;
  c.town.appendChild(opt('', t('common.choose')));
  for (const d of towns()) c.town.appendChild(opt(d.code, d.name, d.code === values.town));
  fillVillages(page, values.village);

  c.cls.appendChild(opt('', t('common.choose')));
  for (const k of categoryClasses()) c.cls.appendChild(opt(k.id, k.label, k.id === values.cls));
  fillSubtypes(page, values.sub);

  const channels = (app.ref && app.ref.channels) || [];
  // The counter's own channel first: walk_in (docs/web-api.md) or 窗口 (the hub's list).
  page.counterChannel = ['walk_in', '窗口'].find((x) => channels.includes(x)) || '';
  const chosenChannel = values.channel || page.counterChannel;
  c.channel.appendChild(opt('', t('common.choose')));
  for (const ch of channels) c.channel.appendChild(opt(ch, channelLabel(ch), ch === chosenChannel));
  const urgencies = (app.ref && app.ref.urgencies && app.ref.urgencies.length ? app.ref.urgencies : URGENCIES);
  for (const u of urgencies) c.urgency.appendChild(opt(u, t(`urgency.${u}`), u === (values.urgency || 'normal')));
}

function fillVillages(page, keep) {
  const { c } = page;
  replace(c.village, opt('', t('common.any_village')));
  for (const d of villages(c.town.value)) c.village.appendChild(opt(d.code, d.name, d.code === keep));
  c.village.disabled = !c.town.value;
  fillGrids(page, keep === c.village.value ? page.values.grid : '');
}

function fillGrids(page, keep) {
  const { c } = page;
  replace(c.grid, opt('', t('common.any_grid')));
  for (const g of grids(c.village.value)) c.grid.appendChild(opt(g.id, g.id, g.id === keep));
  c.grid.disabled = !c.village.value;
}

function fillSubtypes(page, keep) {
  const { c } = page;
  const list = subtypes(c.cls.value);
  replace(c.sub, opt('', list.length ? t('intake.subtype_none') : t('common.none')));
  for (const k of list) c.sub.appendChild(opt(k.id, k.label, k.id === keep));
  c.sub.disabled = !list.length;
}

// ---- layout ----
function layout(view, page) {
  const { c, f } = page;
  page.outcomeBox = h('div', { class: 'settle-outcome' }, f.outcome.wrap);
  page.formMsg = h('div', { class: 'form-msg', 'data-testid': 'intake-message', 'aria-live': 'polite' });
  page.save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'intake-save' }, t('intake.save'));
  page.reset = h('button', { type: 'button', class: 'btn', 'data-testid': 'intake-reset' }, t('intake.reset'));
  page.preview = h('div', { class: 'preview-body', 'data-testid': 'intake-preview', 'aria-live': 'polite' });
  page.result = h('div', { class: 'intake-result-slot' });
  page.form = h(
    'form',
    { class: 'intake-form card', novalidate: true, 'data-testid': 'intake-form' },
    h('h2', null, t('intake.heading')),
    reporterSet(f),
    placeSet(f),
    matterSet(f),
    settleSet(c, page.outcomeBox),
    page.formMsg,
    h('div', { class: 'actions' }, page.save, page.reset),
  );
  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, t('nav.intake'))),
    page.result,
    h('div', { class: 'intake' }, page.form, h('aside', { class: 'card preview' }, h('h2', null, t('preview.heading')), page.preview)),
  );
  page.outcomeBox.hidden = !c.settle.checked;
  showPreviewHint(page);
}

function reporterSet(f) {
  return h('fieldset', null, h('legend', null, t('intake.reporter')), h('div', { class: 'row3' }, f.name.wrap, f.phone.wrap, f.id_number.wrap));
}

function placeSet(f) {
  return h('fieldset', null, h('legend', null, t('intake.place')),
    h('div', { class: 'row3' }, f.town.wrap, f.village.wrap, f.grid.wrap), h('div', { class: 'row1' }, f.address.wrap));
}

function matterSet(f) {
  return h('fieldset', null, h('legend', null, t('intake.matter')),
    h('div', { class: 'row4' }, f.cls.wrap, f.sub.wrap, f.channel.wrap, f.urgency.wrap),
    h('div', { class: 'row1' }, f.title.wrap), h('div', { class: 'row1' }, f.description.wrap));
}

function settleSet(c, outcomeBox) {
  return h('fieldset', null,
    h('div', { class: 'check' }, c.settle, h('label', { for: 'intake-settle' }, t('intake.settle'))),
    h('div', { class: 'field-hint' }, t('intake.settle_hint')), outcomeBox);
}

// ---- body, draft ----
function snapshot(c) {
  const v = {};
  for (const [k, el] of Object.entries(c)) v[k] = el.type === 'checkbox' ? el.checked : el.value;
  return v;
}

function keepDraft(page) {
  saveDraft(DRAFT, { key: page.key, values: snapshot(page.c) });
}

// The body of POST /api/v1/cases (and of the preview) from what the form holds.
function caseBody(c) {
  const v = snapshot(c);
  const b = {
    reporter: { name: v.name.trim(), phone: v.phone.trim() },
    division_code: v.village || v.town,
    category: v.sub || v.cls,
    channel: v.channel,
    urgency: v.urgency || 'normal',
    description: v.description.trim(),
  };
  if (v.id_number.trim()) b.reporter.id_number = v.id_number.trim().toUpperCase();
  if (v.grid) b.grid_id = v.grid;
  if (v.address.trim()) b.address = v.address.trim();
  if (v.title.trim()) b.title = v.title.trim();
  if (v.settle) b.settle = { outcome: v.outcome.trim() };
  return b;
}

function clearErrors(f) {
  for (const x of Object.values(f)) x.setError('');
}

// Each problem next to its field; those of no field on this form go under the form.
function showErrors(page, list) {
  const { f } = page;
  clearErrors(f);
  let first = null;
  const other = [];
  for (const p of list) {
    const target = f[FIELD_CONTROL[p.field]];
    if (!target) {
      other.push(h('div', { 'data-testid': 'intake-field-other', 'data-field': p.field }, `${p.field}: `,
        has(`fe.${p.code}`) ? t(`fe.${p.code}`) : t('fe.other', { code: p.code })));
      continue;
    }
    target.setError(p.code, p.message);
    if (!first) first = target.control;
  }
  replace(page.formMsg, message('error', t('intake.fix'), 'intake-invalid'), other);
  if (first) first.focus();
}

function checkOne(page, k) {
  const { f } = page;
  const v = snapshot(page.c);
  if (k === 'phone') f.phone.setError(v.phone.trim() ? phoneProblem(v.phone) : '');
  else if (k === 'id_number') f.id_number.setError(idNumberProblem(v.id_number));
}

// ---- preview ----
function showPreviewHint(page) {
  replace(page.preview, h('p', { class: 'muted', 'data-testid': 'preview-hint' }, t('preview.hint')));
}

async function previewNow(page) {
  const b = caseBody(page.c);
  const v = snapshot(page.c);
  if (!v.phone.trim() && !v.id_number.trim() && !(b.division_code && b.category)) {
    showPreviewHint(page);
    return;
  }
  const seq = ++page.previewSeq;
  page.preview.classList.add('loading');
  try {
    const r = await post('/api/v1/cases/preview', b);
    if (seq === page.previewSeq) renderPreview(page.preview, r);
  } catch (e) {
    if (seq !== page.previewSeq) return;
    if (e instanceof ApiError && e.status === 422) {
      const names = e.fields.map((x) => fieldName(x.field)).filter((x, i, a) => a.indexOf(x) === i);
      replace(page.preview, h('p', { class: 'muted', 'data-testid': 'preview-needs' }, t('preview.needs', { fields: list(names) })));
    } else {
      replace(page.preview, errorNode(e, 'preview-error'));
    }
  } finally {
    if (seq === page.previewSeq) page.preview.classList.remove('loading');
  }
}

function fieldName(bodyField) {
  const k = FIELD_CONTROL[bodyField];
  return k ? t(`intake.${k === 'cls' ? 'category' : k}`) : bodyField;
}

function caseItem(k, testid, extra) {
  return h(
    'li',
    { 'data-testid': testid },
    caseLink(k.id, `#${k.id}`),
    ' ',
    h('a', { href: `#/case/${k.id}` }, k.title || categoryLabel(k.category)),
    ' ',
    statusBadge(k.status, k.status_label),
    h('span', { class: 'muted' }, ` ${systemLabel(k.source_system || '')} · ${instant(k.received_at)} · ${placePath(k.place && k.place.division_code)}`),
    extra,
  );
}

function routeBlock(route, testid) {
  if (!route) return h('p', { class: 'muted', 'data-testid': testid }, t('preview.no_route'));
  if (route.queue === 'triage' || !route.rule)
    return h('p', { 'data-testid': testid, 'data-queue': 'triage' }, t('preview.triage'));
  return h(
    'div',
    { 'data-testid': testid, 'data-queue': route.queue },
    h('div', null, h('strong', null, levelLabel(route.level)), ' · ', list((route.departments || []).map((d) => departmentName(d)))),
    h('div', { class: 'muted' }, t('preview.rule', { rule: route.rule })),
  );
}

function renderPreview(preview, r) {
  const person = r.person_cases || [];
  const dups = r.likely_duplicates || [];
  replace(
    preview,
    h('h3', null, t('preview.person'), h('span', { class: 'count' }, String(person.length))),
    personCases(person),
    h('h3', null, t('preview.duplicates'), h('span', { class: 'count' }, String(dups.length))),
    likelyDuplicates(dups),
    previewProblems(r),
    h('h3', null, t('preview.route')),
    routeBlock(r.route, 'preview-route'),
    h('h3', null, t('preview.deadlines')),
    deadlinesTable(r.deadlines || [], 'preview-deadlines', 'preview-deadline'),
  );
}

function personCases(person) {
  return person.length
    ? h('ul', { class: 'caselist', 'data-testid': 'preview-person-cases' }, person.map((k) => caseItem(k, 'preview-person-case')))
    : h('p', { class: 'muted', 'data-testid': 'preview-person-none' }, t('preview.person_none'));
}

function likelyDuplicates(dups) {
  return dups.length
    ? h('ul', { class: 'caselist', 'data-testid': 'preview-duplicates' }, dups.map((d) =>
      caseItem(d.case || {}, 'preview-duplicate',
        h('div', { class: 'dup-reasons' }, h('span', { class: 'score' }, t('dup.score', { score: Math.round((d.score || 0) * 100) })),
          Array.isArray(d.reasons) ? ` ${list(d.reasons.map(String))}` : dataList(d.reasons)))))
    : h('p', { class: 'muted', 'data-testid': 'preview-duplicates-none' }, t('preview.duplicates_none'));
}

function previewProblems(r) {
  return (r.fields || []).length
    ? h('div', { class: 'msg msg-warn', 'data-testid': 'preview-problems' }, t('preview.problems'),
      h('ul', null, r.fields.map((x) => h('li', { 'data-field': x.field }, `${fieldName(x.field)}: `,
        has(`fe.${x.code}`) ? t(`fe.${x.code}`) : t('fe.other', { code: x.code })))))
    : null;
}

// Deadlines of the preview or obligations of the saved case: department, duty, due.
function deadlinesTable(rows, testid, rowTestid) {
  return table(['col.department', 'col.duty', 'col.due_at'], rows.map((d) => [
    departmentName(d.department), dutyLabel(d.duty), instant(d.due_at),
  ]), { testid, rowTestid, emptyKey: 'preview.deadlines_none' });
}

// ---- saving ----
function showResult(page, r) {
  const k = r.case || {};
  replace(
    page.result,
    h('section', { class: 'card result', 'data-testid': 'intake-result', 'data-case-id': k.id },
      h('h2', null, t(r.replayed ? 'intake.saved_again' : 'intake.saved'), ' ', caseLink(k.id, `#${k.id}`, 'intake-result-case'), ' ',
        statusBadge(k.status, k.status_label, 'intake-result-status')),
      h('div', { class: 'result-grid' },
        h('div', null, h('h3', null, t('preview.route')), routeBlock(r.route, 'intake-result-route')),
        h('div', null, h('h3', null, t('preview.deadlines')),
          deadlinesTable(r.obligations || [], 'intake-result-deadlines', 'intake-result-deadline')),
        resultDuplicates(k, r.duplicates || [])),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-primary', href: `#/case/${k.id}`, 'data-testid': 'intake-open-case' }, t('intake.open_case')),
        h('button', { type: 'button', class: 'btn', 'data-testid': 'intake-result-close', onclick: () => clear(page.result) }, t('common.close')))),
  );
}

function resultDuplicates(k, dups) {
  if (!dups.length) return null;
  return h('div', null, h('h3', null, t('preview.duplicates')), h('ul', { class: 'caselist' }, dups.map((p) =>
    h('li', { 'data-testid': 'intake-result-duplicate' }, caseLink(p.candidate_id === k.id ? p.case_id : p.candidate_id),
      ' ', t('dup.score', { score: Math.round((p.score || 0) * 100) })))));
}

function resetForm(page) {
  for (const [k, el] of Object.entries(page.c)) {
    if (el.type === 'checkbox') el.checked = false;
    else if (el.tagName === 'SELECT') {
      if (k === 'channel') el.value = page.counterChannel;
      else if (k === 'urgency') el.value = 'normal';
      else el.value = '';
    } else el.value = '';
  }
  fillVillages(page, '');
  fillSubtypes(page, '');
  page.outcomeBox.hidden = true;
  clearErrors(page.f);
  clear(page.formMsg);
  page.key = newKey();
  dropDraft(DRAFT);
  showPreviewHint(page);
}

async function doSave(page, ev) {
  if (ev) ev.preventDefault();
  if (page.saving) return;
  clear(page.formMsg);
  const b = caseBody(page.c);
  const problems = intakeProblems(b);
  if (problems.length) {
    showErrors(page, problems);
    return;
  }
  clearErrors(page.f);
  page.saving = true;
  page.save.disabled = true;
  page.save.textContent = t('intake.saving');
  keepDraft(page);
  try {
    const r = await request('POST', '/api/v1/cases', { body: b, headers: { 'Idempotency-Key': page.key } });
    page.runPreview.cancel();
    page.previewSeq++;
    resetForm(page);
    showResult(page, r.body || {});
    page.result.scrollIntoView({ block: 'start' });
  } catch (e) {
    saveFailed(page, e);
  } finally {
    page.saving = false;
    page.save.disabled = false;
    page.save.textContent = t('intake.save');
  }
}

// 422 shows each field's problem; idempotency_conflict offers saving as a new case.
function saveFailed(page, e) {
  if (e instanceof ApiError && e.status === 422 && e.fields.length) {
    showErrors(page, e.fields);
  } else if (e instanceof ApiError && e.code === 'idempotency_conflict') {
    replace(page.formMsg, errorNode(e, 'intake-error'), h('button', {
      type: 'button',
      class: 'btn',
      'data-testid': 'intake-save-new',
      onclick: () => {
        page.key = newKey();
        keepDraft(page);
        doSave(page);
      },
    }, t('intake.save_as_new')));
  } else if (!(e instanceof ApiError && e.code === 'user_changed')) {
    replace(page.formMsg, errorNode(e instanceof ApiError ? e : new ApiError(0, null), 'intake-error'));
  }
}

// ---- events ----
function listen(page) {
  const { c, f } = page;
  page.form.addEventListener('submit', (ev) => doSave(page, ev));
  page.form.addEventListener('input', (ev) => onInput(page, ev));
  for (const k of ['phone', 'id_number']) c[k].addEventListener('blur', () => checkOne(page, k));
  c.town.addEventListener('change', () => {
    fillVillages(page, '');
    keepDraft(page);
  });
  c.village.addEventListener('change', () => {
    fillGrids(page, '');
    keepDraft(page);
  });
  c.cls.addEventListener('change', () => {
    fillSubtypes(page, '');
    keepDraft(page);
  });
  c.settle.addEventListener('change', () => {
    page.outcomeBox.hidden = !c.settle.checked;
    if (!c.settle.checked) f.outcome.setError('');
    keepDraft(page);
  });
  page.reset.addEventListener('click', () => {
    page.runPreview.cancel();
    page.previewSeq++;
    resetForm(page);
    clear(page.result);
    c.name.focus();
  });
}

// Typing keeps the draft, clears a fixed field's error and asks for a new preview.
function onInput(page, ev) {
  const { c, f, form, formMsg } = page;
  keepDraft(page);
  const k = Object.keys(c).find((x) => c[x] === ev.target);
  if (k && f[k] && f[k].wrap.classList.contains('invalid')) {
    if (k === 'phone' || k === 'id_number') checkOne(page, k);
    else if (String(ev.target.value).trim()) f[k].setError('');
  }
  if (!form.querySelector('.field.invalid') && formMsg.querySelector('[data-testid=intake-invalid]')) clear(formMsg);
  page.runPreview();
}
