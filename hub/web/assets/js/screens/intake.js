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

export function render(view) {
  const draft = loadDraft(DRAFT) || {};
  const values = draft.values || {};
  let key = draft.key || newKey();
  let saving = false;
  let previewSeq = 0;

  // ---- controls ----
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

  // ---- select options ----
  c.town.appendChild(opt('', t('common.choose')));
  for (const d of towns()) c.town.appendChild(opt(d.code, d.name, d.code === values.town));
  function fillVillages(keep) {
    replace(c.village, opt('', t('common.any_village')));
    for (const d of villages(c.town.value)) c.village.appendChild(opt(d.code, d.name, d.code === keep));
    c.village.disabled = !c.town.value;
    fillGrids(keep === c.village.value ? values.grid : '');
  }
  function fillGrids(keep) {
    replace(c.grid, opt('', t('common.any_grid')));
    for (const g of grids(c.village.value)) c.grid.appendChild(opt(g.id, g.id, g.id === keep));
    c.grid.disabled = !c.village.value;
  }
  fillVillages(values.village);

  c.cls.appendChild(opt('', t('common.choose')));
  for (const k of categoryClasses()) c.cls.appendChild(opt(k.id, k.label, k.id === values.cls));
  function fillSubtypes(keep) {
    const list = subtypes(c.cls.value);
    replace(c.sub, opt('', list.length ? t('intake.subtype_none') : t('common.none')));
    for (const k of list) c.sub.appendChild(opt(k.id, k.label, k.id === keep));
    c.sub.disabled = !list.length;
  }
  fillSubtypes(values.sub);

  const channels = (app.ref && app.ref.channels) || [];
  // The counter's own channel first: walk_in (docs/web-api.md) or 窗口 (the hub's list).
  const counterChannel = ['walk_in', '窗口'].find((x) => channels.includes(x)) || '';
  const chosenChannel = values.channel || counterChannel;
  c.channel.appendChild(opt('', t('common.choose')));
  for (const ch of channels) c.channel.appendChild(opt(ch, channelLabel(ch), ch === chosenChannel));
  const urgencies = (app.ref && app.ref.urgencies && app.ref.urgencies.length ? app.ref.urgencies : URGENCIES);
  for (const u of urgencies) c.urgency.appendChild(opt(u, t(`urgency.${u}`), u === (values.urgency || 'normal')));

  // ---- layout ----
  const outcomeBox = h('div', { class: 'settle-outcome' }, f.outcome.wrap);
  const formMsg = h('div', { class: 'form-msg', 'data-testid': 'intake-message', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'intake-save' }, t('intake.save'));
  const reset = h('button', { type: 'button', class: 'btn', 'data-testid': 'intake-reset' }, t('intake.reset'));
  const preview = h('div', { class: 'preview-body', 'data-testid': 'intake-preview', 'aria-live': 'polite' });
  const result = h('div', { class: 'intake-result-slot' });

  const form = h(
    'form',
    { class: 'intake-form card', novalidate: true, 'data-testid': 'intake-form' },
    h('h2', null, t('intake.heading')),
    h('fieldset', null, h('legend', null, t('intake.reporter')), h('div', { class: 'row3' }, f.name.wrap, f.phone.wrap, f.id_number.wrap)),
    h('fieldset', null, h('legend', null, t('intake.place')),
      h('div', { class: 'row3' }, f.town.wrap, f.village.wrap, f.grid.wrap), h('div', { class: 'row1' }, f.address.wrap)),
    h('fieldset', null, h('legend', null, t('intake.matter')),
      h('div', { class: 'row4' }, f.cls.wrap, f.sub.wrap, f.channel.wrap, f.urgency.wrap),
      h('div', { class: 'row1' }, f.title.wrap), h('div', { class: 'row1' }, f.description.wrap)),
    h('fieldset', null,
      h('div', { class: 'check' }, c.settle, h('label', { for: 'intake-settle' }, t('intake.settle'))),
      h('div', { class: 'field-hint' }, t('intake.settle_hint')), outcomeBox),
    formMsg,
    h('div', { class: 'actions' }, save, reset),
  );

  replace(
    view,
    h('div', { class: 'page-head' }, h('h1', null, t('nav.intake'))),
    result,
    h('div', { class: 'intake' }, form, h('aside', { class: 'card preview' }, h('h2', null, t('preview.heading')), preview)),
  );
  outcomeBox.hidden = !c.settle.checked;
  showPreviewHint();

  // ---- body, draft ----
  function snapshot() {
    const v = {};
    for (const [k, el] of Object.entries(c)) v[k] = el.type === 'checkbox' ? el.checked : el.value;
    return v;
  }
  function keepDraft() {
    saveDraft(DRAFT, { key, values: snapshot() });
  }
  function body() {
    const v = snapshot();
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

  function clearErrors() {
    for (const x of Object.values(f)) x.setError('');
  }
  // Each problem next to its field; those of no field on this form go under the form.
  function showErrors(list) {
    clearErrors();
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
    replace(formMsg, message('error', t('intake.fix'), 'intake-invalid'), other);
    if (first) first.focus();
  }
  function checkOne(k) {
    const v = snapshot();
    if (k === 'phone') f.phone.setError(v.phone.trim() ? phoneProblem(v.phone) : '');
    else if (k === 'id_number') f.id_number.setError(idNumberProblem(v.id_number));
  }

  // ---- preview ----
  function showPreviewHint() {
    replace(preview, h('p', { class: 'muted', 'data-testid': 'preview-hint' }, t('preview.hint')));
  }

  const runPreview = debounce(async () => {
    const b = body();
    const v = snapshot();
    if (!v.phone.trim() && !v.id_number.trim() && !(b.division_code && b.category)) {
      showPreviewHint();
      return;
    }
    const seq = ++previewSeq;
    preview.classList.add('loading');
    try {
      const r = await post('/api/v1/cases/preview', b);
      if (seq === previewSeq) renderPreview(r);
    } catch (e) {
      if (seq !== previewSeq) return;
      if (e instanceof ApiError && e.status === 422) {
        const names = e.fields.map((x) => fieldName(x.field)).filter((x, i, a) => a.indexOf(x) === i);
        replace(preview, h('p', { class: 'muted', 'data-testid': 'preview-needs' }, t('preview.needs', { fields: list(names) })));
      } else {
        replace(preview, errorNode(e, 'preview-error'));
      }
    } finally {
      if (seq === previewSeq) preview.classList.remove('loading');
    }
  }, 400);

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

  function renderPreview(r) {
    const person = r.person_cases || [];
    const dups = r.likely_duplicates || [];
    const deadlines = r.deadlines || [];
    replace(
      preview,
      h('h3', null, t('preview.person'), h('span', { class: 'count' }, String(person.length))),
      person.length
        ? h('ul', { class: 'caselist', 'data-testid': 'preview-person-cases' }, person.map((k) => caseItem(k, 'preview-person-case')))
        : h('p', { class: 'muted', 'data-testid': 'preview-person-none' }, t('preview.person_none')),
      h('h3', null, t('preview.duplicates'), h('span', { class: 'count' }, String(dups.length))),
      dups.length
        ? h('ul', { class: 'caselist', 'data-testid': 'preview-duplicates' }, dups.map((d) =>
          caseItem(d.case || {}, 'preview-duplicate',
            h('div', { class: 'dup-reasons' }, h('span', { class: 'score' }, t('dup.score', { score: Math.round((d.score || 0) * 100) })),
              Array.isArray(d.reasons) ? ` ${list(d.reasons.map(String))}` : dataList(d.reasons)))))
        : h('p', { class: 'muted', 'data-testid': 'preview-duplicates-none' }, t('preview.duplicates_none')),
      (r.fields || []).length
        ? h('div', { class: 'msg msg-warn', 'data-testid': 'preview-problems' }, t('preview.problems'),
          h('ul', null, r.fields.map((x) => h('li', { 'data-field': x.field }, `${fieldName(x.field)}: `,
            has(`fe.${x.code}`) ? t(`fe.${x.code}`) : t('fe.other', { code: x.code })))))
        : null,
      h('h3', null, t('preview.route')),
      routeBlock(r.route, 'preview-route'),
      h('h3', null, t('preview.deadlines')),
      table(['col.department', 'col.duty', 'col.due_at'], deadlines.map((d) => [
        departmentName(d.department), dutyLabel(d.duty), instant(d.due_at),
      ]), { testid: 'preview-deadlines', rowTestid: 'preview-deadline', emptyKey: 'preview.deadlines_none' }),
    );
  }

  // ---- saving ----
  function showResult(r) {
    const k = r.case || {};
    replace(
      result,
      h('section', { class: 'card result', 'data-testid': 'intake-result', 'data-case-id': k.id },
        h('h2', null, t(r.replayed ? 'intake.saved_again' : 'intake.saved'), ' ', caseLink(k.id, `#${k.id}`, 'intake-result-case'), ' ',
          statusBadge(k.status, k.status_label, 'intake-result-status')),
        h('div', { class: 'result-grid' },
          h('div', null, h('h3', null, t('preview.route')), routeBlock(r.route, 'intake-result-route')),
          h('div', null, h('h3', null, t('preview.deadlines')),
            table(['col.department', 'col.duty', 'col.due_at'], (r.obligations || []).map((o) => [
              departmentName(o.department), dutyLabel(o.duty), instant(o.due_at),
            ]), { testid: 'intake-result-deadlines', rowTestid: 'intake-result-deadline', emptyKey: 'preview.deadlines_none' })),
          (r.duplicates || []).length
            ? h('div', null, h('h3', null, t('preview.duplicates')), h('ul', { class: 'caselist' }, r.duplicates.map((p) =>
              h('li', { 'data-testid': 'intake-result-duplicate' }, caseLink(p.candidate_id === k.id ? p.case_id : p.candidate_id),
                ' ', t('dup.score', { score: Math.round((p.score || 0) * 100) })))))
            : null),
        h('div', { class: 'actions' },
          h('a', { class: 'btn btn-primary', href: `#/case/${k.id}`, 'data-testid': 'intake-open-case' }, t('intake.open_case')),
          h('button', { type: 'button', class: 'btn', 'data-testid': 'intake-result-close', onclick: () => clear(result) }, t('common.close')))),
    );
  }

  function resetForm() {
    for (const [k, el] of Object.entries(c)) {
      if (el.type === 'checkbox') el.checked = false;
      else if (el.tagName === 'SELECT') {
        if (k === 'channel') el.value = counterChannel;
        else if (k === 'urgency') el.value = 'normal';
        else el.value = '';
      } else el.value = '';
    }
    fillVillages('');
    fillSubtypes('');
    outcomeBox.hidden = true;
    clearErrors();
    clear(formMsg);
    key = newKey();
    dropDraft(DRAFT);
    showPreviewHint();
  }

  async function doSave(ev) {
    if (ev) ev.preventDefault();
    if (saving) return;
    clear(formMsg);
    const b = body();
    const problems = intakeProblems(b);
    if (problems.length) {
      showErrors(problems);
      return;
    }
    clearErrors();
    saving = true;
    save.disabled = true;
    save.textContent = t('intake.saving');
    keepDraft();
    try {
      const r = await request('POST', '/api/v1/cases', { body: b, headers: { 'Idempotency-Key': key } });
      runPreview.cancel();
      previewSeq++;
      resetForm();
      showResult(r.body || {});
      result.scrollIntoView({ block: 'start' });
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.fields.length) {
        showErrors(e.fields);
      } else if (e instanceof ApiError && e.code === 'idempotency_conflict') {
        replace(formMsg, errorNode(e, 'intake-error'), h('button', {
          type: 'button',
          class: 'btn',
          'data-testid': 'intake-save-new',
          onclick: () => {
            key = newKey();
            keepDraft();
            doSave();
          },
        }, t('intake.save_as_new')));
      } else if (!(e instanceof ApiError && e.code === 'user_changed')) {
        replace(formMsg, errorNode(e instanceof ApiError ? e : new ApiError(0, null), 'intake-error'));
      }
    } finally {
      saving = false;
      save.disabled = false;
      save.textContent = t('intake.save');
    }
  }

  // ---- events ----
  form.addEventListener('submit', doSave);
  form.addEventListener('input', (ev) => {
    keepDraft();
    const k = Object.keys(c).find((x) => c[x] === ev.target);
    if (k && f[k] && f[k].wrap.classList.contains('invalid')) {
      if (k === 'phone' || k === 'id_number') checkOne(k);
      else if (String(ev.target.value).trim()) f[k].setError('');
    }
    if (!form.querySelector('.field.invalid') && formMsg.querySelector('[data-testid=intake-invalid]')) clear(formMsg);
    runPreview();
  });
  for (const k of ['phone', 'id_number']) c[k].addEventListener('blur', () => checkOne(k));
  c.town.addEventListener('change', () => {
    fillVillages('');
    keepDraft();
  });
  c.village.addEventListener('change', () => {
    fillGrids('');
    keepDraft();
  });
  c.cls.addEventListener('change', () => {
    fillSubtypes('');
    keepDraft();
  });
  c.settle.addEventListener('change', () => {
    outcomeBox.hidden = !c.settle.checked;
    if (!c.settle.checked) f.outcome.setError('');
    keepDraft();
  });
  reset.addEventListener('click', () => {
    runPreview.cancel();
    previewSeq++;
    resetForm();
    clear(result);
    c.name.focus();
  });
  keepDraft();
  if (values.phone || values.id_number || values.town) runPreview();
  return () => runPreview.cancel();
}
