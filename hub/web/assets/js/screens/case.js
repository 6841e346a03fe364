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

export function render(view, ctx) {
  const id = ctx.parts[0];
  if (!id) return lookup(view);
  if (!/^\d+$/.test(id)) {
    replace(view, message('error', t('case.bad_id'), 'case-error'));
    return undefined;
  }

  const msg = h('div', { class: 'case-msg', 'data-testid': 'case-message', 'aria-live': 'polite' });
  const body = h('div', { class: 'case-body' });
  replace(view, h('div', { class: 'page-head' }, h('h1', null, t('case.heading', { id })),
    h('button', { type: 'button', class: 'btn', 'data-testid': 'case-reload', onclick: () => load() }, t('case.reload'))), msg, body);

  let current = null;
  let openAction = null; // the action whose form is open, kept across reloads
  let alive = true;

  async function load(keepMessage) {
    if (!keepMessage) clear(msg);
    body.classList.add('loading');
    try {
      const k = await get(`/api/v1/cases/${id}`);
      if (!alive) return;
      current = k;
      draw(k);
    } catch (e) {
      if (!alive) return;
      replace(body, errorNode(e, 'case-error'));
    } finally {
      body.classList.remove('loading');
    }
  }

  function say(kind, text, testid) {
    replace(msg, message(kind, text, testid));
  }

  // ---- header ----
  function header(k) {
    const rep = k.reporter || {};
    const repName = h('span', { 'data-testid': 'case-reporter-name' }, rep.name === null ? t('case.undecryptable') : rep.name || '—');
    const repPhone = h('span', { 'data-testid': 'case-reporter-phone' }, rep.phone === null ? t('case.undecryptable') : rep.phone || '—');
    const repId = h('span', { 'data-testid': 'case-reporter-id' }, rep.id_number === null ? t('case.undecryptable') : rep.id_number || '—');
    const piiSlot = h('div', { class: 'pii-slot' });
    const place = k.place || {};
    const facts = [
      ['case.status', statusBadge(k.status, k.status_label, 'case-status')],
      ['case.level', h('span', { 'data-testid': 'case-level' }, levelLabel(k.level))],
      ['case.category', h('span', { 'data-testid': 'case-category' }, categoryLabel(k.category))],
      ['case.place', h('span', { 'data-testid': 'case-place' }, placePath(place.division_code),
        place.address ? ` ${place.address}` : '', place.grid_id ? h('span', { class: 'muted' }, ` · ${t('case.grid')} ${place.grid_id}`) : '')],
      ['case.channel', channelLabel(k.channel)],
      ['case.urgency', label('urgency', k.urgency)],
      ['case.system', systemLabel(k.source_system)],
      ['case.received', instant(k.received_at)],
      ['case.updated', instant(k.updated_at)],
      ['case.reporter', h('span', { class: 'reporter', 'data-testid': 'case-reporter' }, repName, ' · ', repPhone, ' · ', repId)],
    ];
    const head = h('section', { class: 'card case-header', 'data-testid': 'case-header', 'data-status': k.status },
      h('h2', { 'data-testid': 'case-title' }, k.title || t('case.untitled')),
      k.merged_into ? h('div', { class: 'msg msg-warn', 'data-testid': 'case-merged-into' }, t('case.merged_into'), ' ', caseLink(k.merged_into)) : null,
      h('dl', { class: 'facts' }, facts.map(([key, v]) => [h('dt', null, t(key)), h('dd', null, v)])),
      h('div', { class: 'description', 'data-testid': 'case-description' }, k.description || ''),
      piiSlot);
    if (canSeeClear()) {
      const show = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'case-pii-show' }, t('pii.show'));
      show.addEventListener('click', () => piiForm(piiSlot, show, { repName, repPhone, repId }, rep));
      piiSlot.appendChild(show);
    }
    return head;
  }

  function piiForm(slot, show, nodes, masked) {
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
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) {
        f.setError('required');
        return;
      }
      submit.disabled = true;
      try {
        const r = await get(`/api/v1/cases/${id}/pii`, { reason: reason.value.trim() });
        const clear = r.reporter || {};
        const val = (v) => (v === null ? t('case.undecryptable') : v || '—');
        nodes.repName.textContent = val(clear.name);
        nodes.repPhone.textContent = val(clear.phone);
        nodes.repId.textContent = val(clear.id_number);
        for (const n of Object.values(nodes)) n.classList.add('clear-pii');
        form.remove();
        const hide = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'case-pii-hide' }, t('pii.hide'));
        hide.addEventListener('click', () => {
          nodes.repName.textContent = val(masked.name);
          nodes.repPhone.textContent = val(masked.phone);
          nodes.repId.textContent = val(masked.id_number);
          for (const n of Object.values(nodes)) n.classList.remove('clear-pii');
          hide.remove();
          show.hidden = false;
        });
        slot.appendChild(hide);
      } catch (e) {
        replace(err, errorNode(e, 'case-pii-error'));
      } finally {
        submit.disabled = false;
      }
    });
  }

  // ---- actions ----
  function actionsCard(k) {
    const allowed = (k.allowed || []).filter((a) => mayDo(a, k));
    if (!allowed.length) return null;
    allowed.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    const panel = h('div', { class: 'action-panel' });
    const bar = h('div', { class: 'action-bar', 'data-testid': 'case-actions' });
    for (const a of allowed) {
      const btn = h('button', {
        type: 'button',
        class: ['btn', a === openAction && 'pressed'],
        'data-testid': `case-action-${a}`,
        'aria-expanded': a === openAction ? 'true' : 'false',
      }, label('action', a));
      btn.addEventListener('click', () => {
        openAction = a;
        for (const b of bar.children) {
          b.classList.toggle('pressed', b === btn);
          b.setAttribute('aria-expanded', b === btn ? 'true' : 'false');
        }
        replace(panel, actionForm(k, a, () => {
          openAction = null;
          for (const b of bar.children) {
            b.classList.remove('pressed');
            b.setAttribute('aria-expanded', 'false');
          }
          clear(panel);
        }));
      });
      bar.appendChild(btn);
    }
    if (openAction && allowed.includes(openAction)) {
      panel.appendChild(actionForm(k, openAction, () => {
        openAction = null;
        clear(panel);
        for (const b of bar.children) b.classList.remove('pressed');
      }));
    } else {
      openAction = null;
    }
    return h('section', { class: 'card' }, h('h2', null, t('case.actions')), bar, panel);
  }

  function actionForm(k, action, close) {
    const draftKey = `action.${id}.${action}`;
    const draft = loadDraft(draftKey) || {};
    const needs = NEEDS[action] || ['reason'];
    const parts = {};
    const fields = [];
    const keep = () => saveDraft(draftKey, values());

    for (const spec of needs) {
      const name = spec.replace('*', '');
      const required = spec.endsWith('*');
      if (name === 'reason' || name === 'text') {
        const el = h('textarea', { rows: 2, maxlength: 2000 });
        el.value = draft[name] || '';
        const specific = `action.field.${name}.${action}`;
        parts[name] = field(t(has(specific) ? specific : `action.field.${name}`),
          el, { testid: `action-${name}`, required, wide: true });
      } else if (name === 'rating') {
        const ratings = (app.ref && app.ref.ratings && app.ref.ratings.length ? app.ref.ratings : DEFAULT_RATINGS);
        const el = h('select', null, required ? null : h('option', { value: '' }, t('action.no_rating')),
          ratings.map((r) => h('option', { value: r, selected: draft.rating === r }, ratingLabel(r))));
        parts.rating = field(t('action.field.rating'), el, { testid: 'action-rating', required });
      } else if (name === 'duty') {
        const duties = [...new Set((k.obligations || []).filter((o) => o.state === 'open' || o.state === 'overdue').map((o) => o.duty))];
        if (!duties.length) duties.push('handle');
        const pick = draft.duty || (duties.includes('handle') ? 'handle' : duties[0]);
        const el = h('select', null, duties.map((d) => h('option', { value: d, selected: d === pick }, dutyLabel(d))));
        parts.duty = field(t('action.field.duty'), el, { testid: 'action-duty', required });
      } else if (name === 'by') {
        const el = h('input', { type: 'number', min: 1, step: 1, value: draft.by || '' });
        parts.by = field(t('action.field.by'), el, { testid: 'action-by', required });
        const hint = h('div', { class: 'field-hint', 'data-testid': 'action-by-hint' });
        parts.by.wrap.insertBefore(hint, parts.by.wrap.lastChild);
        parts.by.hint = hint;
      } else if (name === 'departments') {
        parts.departments = departmentPicker(draft.departments || [], keep);
      }
      fields.push(parts[name].wrap);
    }

    function values() {
      const v = {};
      for (const [n, p] of Object.entries(parts)) v[n] = n === 'departments' ? p.value() : p.control.value;
      return v;
    }

    // extend: the unit and limit of the chosen duty's clock
    function extendHint() {
      if (!parts.by || !parts.duty) return;
      const o = (k.obligations || []).find((x) => x.duty === parts.duty.control.value && (x.state === 'open' || x.state === 'overdue'));
      replace(parts.by.hint, o ? t('action.extend_hint', { unit: label('unit', o.unit), max: o.extend_max || 0 }) : '');
    }
    if (parts.duty) parts.duty.control.addEventListener('change', extendHint);
    extendHint();

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

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(err);
      const v = values();
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
      if (bad) return;
      const payload = { expected_status: k.status };
      for (const [n, val] of Object.entries(v)) {
        if (n === 'by') payload.by = Number(val);
        else if (n === 'departments') payload.departments = val;
        else if (String(val).trim()) payload[n] = String(val).trim();
      }
      // Several departments chosen: joint consultation (会商), the level the server sets
      // only when asked (docs/web-api.md "One case").
      if (action === 'reassign' && (payload.departments || []).length > 1) payload.level = 'joint';
      submit.disabled = true;
      try {
        await post(`/api/v1/cases/${id}/actions/${action}`, payload);
        dropDraft(draftKey);
        openAction = null;
        say('ok', t('case.done', { action: label('action', action) }), 'case-action-done');
        await load(true);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.code === 'user_changed') return;
        if (e.status === 409 && e.code === 'stale') {
          const refusal = (e.body && e.body.error) || {};
          const now = refusal.status || (e.body && e.body.status) || '';
          say('warn', now ? t('case.stale_status', { status: statusLabel(now) }) : t('case.stale'), 'case-stale');
          await load(true);
        } else if (e.status === 409 && e.allowed) {
          replace(msg, h('div', { class: 'msg msg-warn', 'data-testid': 'case-conflict' }, errorText(e),
            e.detail ? h('span', { class: 'msg-detail' }, e.detail) : null));
          await load(true);
        } else {
          replace(err, errorNode(e, 'action-error'));
        }
      } finally {
        submit.disabled = false;
      }
    });
    setTimeout(() => {
      const first = form.querySelector('textarea, input, select');
      if (first) first.focus();
    }, 0);
    return form;
  }

  // Departments as checkboxes grouped by level; several chosen = joint consultation (会商).
  function departmentPicker(chosen, onChange) {
    const filter = h('input', { type: 'search', placeholder: t('action.departments_filter'), 'data-testid': 'action-departments-filter', 'aria-label': t('action.departments_filter') });
    const count = h('span', { class: 'muted', 'data-testid': 'action-departments-count' });
    const boxes = [];
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

  function sourcesCard(k) {
    const rows = (k.sources || []).map((s) => {
      const href = safeUrl(s.url);
      return [
        systemLabel(s.system),
        s.instance,
        h('span', { 'data-testid': 'source-external-id' }, s.external_id),
        href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'source-link' }, t('case.open_source')) : s.url || '—',
        instant(s.first_seen),
        instant(s.last_seen),
        s.case_id && String(s.case_id) !== id ? caseLink(s.case_id) : '',
      ];
    });
    return section('case.sources', table(['col.system', 'col.instance', 'col.external_id', 'col.link', 'col.first_seen', 'col.last_seen', 'col.via_case'], rows, {
      testid: 'case-sources', rowTestid: 'source-row',
    }));
  }

  function reasonBox(testid) {
    return h('input', { type: 'text', maxlength: 200, placeholder: t('common.reason_optional'), 'aria-label': t('common.reason_optional'), 'data-testid': testid });
  }

  function duplicatesCard(k) {
    const pending = (k.duplicates || []).filter((p) => !p.status || p.status === 'pending');
    if (!pending.length) return null;
    const items = pending.map((p) => {
      const other = String(p.case_id) === id ? p.candidate_id : p.case_id;
      const reason = canJoin() ? reasonBox('dup-reason') : null;
      const err = h('div');
      const decide = (verb) => async (ev) => {
        ev.target.disabled = true;
        try {
          await post(`/api/v1/duplicates/${p.id}/${verb}`, reason && reason.value.trim() ? { reason: reason.value.trim() } : {});
          say('ok', t(verb === 'accept' ? 'dup.accepted' : 'dup.rejected'), 'dup-done');
          await load(true);
        } catch (e) {
          replace(err, errorNode(e, 'dup-error'));
          ev.target.disabled = false;
        }
      };
      return h('li', { class: 'dup', 'data-testid': 'dup-item', 'data-proposal-id': p.id },
        h('div', null, t('dup.with'), ' ', caseLink(other, `#${other}`, 'dup-case'), ' ',
          h('span', { class: 'score' }, t('dup.score', { score: Math.round((p.score || 0) * 100) })),
          h('span', { class: 'muted' }, ` ${instant(p.created_at)}`)),
        dataList(p.reasons, 'dup-reasons'),
        canJoin() ? h('div', { class: 'actions' }, reason,
          h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'dup-accept', onclick: decide('accept') }, t('dup.accept')),
          h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'dup-reject', onclick: decide('reject') }, t('dup.reject'))) : null,
        err);
    });
    return section('case.duplicates', h('ul', { class: 'duplist', 'data-testid': 'case-duplicates' }, items));
  }

  function unmergeControl(caseId, testid) {
    if (!canJoin()) return null;
    const reason = reasonBox(`${testid}-reason`);
    const err = h('div');
    const btn = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': testid }, t('merge.unmerge'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        await post(`/api/v1/cases/${caseId}/unmerge`, reason.value.trim() ? { reason: reason.value.trim() } : {});
        say('ok', t('merge.unmerged', { id: caseId }), 'unmerge-done');
        await load(true);
      } catch (e) {
        replace(err, errorNode(e, 'unmerge-error'));
        btn.disabled = false;
      }
    });
    return h('span', { class: 'actions' }, reason, btn, err);
  }

  function membersCard(k) {
    const members = k.members || [];
    if (!members.length && !k.merged_into) return null;
    const items = members.map((m) => {
      const mid = typeof m === 'object' && m !== null ? m.id : m;
      return h('li', { 'data-testid': 'member-item', 'data-case-id': mid }, caseLink(mid), ' ', unmergeControl(mid, 'member-unmerge'));
    });
    return section('case.members',
      members.length ? h('ul', { class: 'memberlist', 'data-testid': 'case-members' }, items) : null,
      k.merged_into ? h('div', { 'data-testid': 'case-self-merged' }, t('case.merged_into'), ' ', caseLink(k.merged_into), ' ', unmergeControl(id, 'case-unmerge')) : null);
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

  function timelineCard(k) {
    const items = (k.events || []).map((e) => {
      const d = e.data && typeof e.data === 'object' && !Array.isArray(e.data) ? e.data : {};
      const from = side(d.from);
      const to = d.to !== undefined ? side(d.to) : Array.isArray(d.departments) ? side(d.departments) : '';
      return h('li', { class: `ev ev-${e.type}`, 'data-testid': 'timeline-item', 'data-seq': e.seq, 'data-type': e.type },
        h('div', { class: 'ev-head' },
          h('span', { class: 'ev-seq' }, `#${e.seq}`),
          h('time', { datetime: e.at }, instant(e.at)),
          h('strong', { class: 'ev-type', 'data-testid': 'timeline-type' }, eventLabel(e.type)),
          h('span', { class: 'ev-actor', 'data-testid': 'timeline-actor' }, e.actor || ''),
          e.case_id && String(e.case_id) !== id ? h('span', { class: 'ev-case' }, t('case.event_of'), ' ', caseLink(e.case_id)) : null),
        from || to ? h('div', { class: 'ev-move', 'data-testid': 'timeline-move' }, from ? `${from} → ` : '→ ', to || '—') : null,
        d.reason ? h('div', { class: 'ev-reason', 'data-testid': 'timeline-reason' }, t('case.reason_line', { reason: plain(d.reason) })) : null,
        d.text ? h('div', { class: 'ev-text', 'data-testid': 'timeline-text' }, plain(d.text)) : null,
        typeof e.data === 'object' ? dataList(e.data, 'timeline-data') : e.data ? h('div', { class: 'kv', 'data-testid': 'timeline-data' }, String(e.data)) : null);
    });
    return h('section', { class: 'card timeline' }, h('h2', null, t('case.timeline'), h('span', { class: 'count' }, String(items.length))),
      h('ol', { class: 'events', 'data-testid': 'case-timeline' }, items));
  }

  function draw(k) {
    replace(body,
      h('div', { class: 'case-main' }, header(k), actionsCard(k), obligationsCard(k), sourcesCard(k), duplicatesCard(k), membersCard(k)),
      h('div', { class: 'case-side' }, timelineCard(k)));
  }

  load();
  return () => {
    alive = false;
  };
}
