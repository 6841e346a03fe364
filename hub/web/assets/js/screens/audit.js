// 审计 the auditor's screen: the hand-off trail, the log of clear-data views, the
// ledger's state and the export download. Read-only: nothing here acts on a case.

import { h, replace } from '../dom.js';
import { list, t } from '../i18n.js';
import { get, query } from '../api.js';
import { instant, plain } from '../fmt.js';
import { app, canAudit, canPiiLog, canReadCases, departmentName, departments, eventLabel, roleLabel, statusLabel } from '../state.js';
import { CursorPager, caseLink, dataList, errorNode, table } from '../widgets.js';

function tabsFor() {
  const out = [];
  if (canAudit()) out.push('trail');
  if (canPiiLog()) out.push('pii');
  if (canAudit()) out.push('ledger', 'export');
  return out;
}

const isStatus = (v) => !!(app.ref && (app.ref.statuses || []).some((x) => x.id === v));

function who(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return isStatus(v) ? statusLabel(v) : departmentName(v);
  if (Array.isArray(v)) return list(v.map(who));
  if (typeof v === 'object' && Array.isArray(v.departments)) return list(v.departments.map((d) => departmentName(d)));
  return plain(v);
}

export function render(view, ctx) {
  const available = tabsFor();
  const tab = available.includes(ctx.params.get('tab')) ? ctx.params.get('tab') : available[0];
  const tabBar = h('div', { class: 'tabs', role: 'tablist' }, available.map((x) => h('a', {
    href: `#/audit?tab=${x}`,
    role: 'tab',
    class: x === tab ? 'active' : undefined,
    'aria-selected': x === tab ? 'true' : 'false',
    'data-testid': `audit-tab-${x}`,
  }, t(`audit.tab_${x}`))));
  const panel = h('div', { class: 'card' });
  replace(view, h('div', { class: 'page-head' }, h('h1', null, t('nav.audit'))), tabBar, panel);
  const state = { alive: true };
  if (tab === 'trail') trail(panel, ctx.params, state);
  else if (tab === 'pii') piiViews(panel, ctx.params, state);
  else if (tab === 'ledger') ledger(panel, state);
  else if (tab === 'export') exportPanel(panel);
  return () => {
    state.alive = false;
  };
}

function labelled(id, key, el) {
  el.id = id;
  return h('span', { class: 'filter' }, h('label', { for: id }, t(key)), el);
}

function trail(panel, params, state) {
  const caseId = h('input', { type: 'text', inputmode: 'numeric', 'data-testid': 'audit-case-id', value: params.get('case_id') || '', size: 8 });
  const dept = h('select', { 'data-testid': 'audit-department' }, h('option', { value: '' }, t('audit.any_department')),
    departments().map((d) => h('option', { value: d.id, selected: d.id === params.get('department') }, d.short || d.name)));
  const from = h('input', { type: 'date', 'data-testid': 'audit-from', value: params.get('from') || '' });
  const to = h('input', { type: 'date', 'data-testid': 'audit-to', value: params.get('to') || '' });
  const apply = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'audit-apply' }, t('audit.apply'));
  const form = h('form', { class: 'filters', 'data-testid': 'audit-filters' },
    labelled('audit-case-id', 'audit.case_id', caseId), labelled('audit-department', 'audit.department', dept),
    labelled('audit-from', 'audit.from', from), labelled('audit-to', 'audit.to', to), apply);
  const out = h('div', { 'aria-live': 'polite' });
  const pagerSlot = h('div');
  replace(panel, form, out, pagerSlot);
  const pager = new CursorPager();
  let seq = 0;

  async function load() {
    const my = ++seq;
    const id = caseId.value.trim().replace(/^#/, '');
    if (id && !/^\d+$/.test(id)) {
      replace(out, h('div', { class: 'msg msg-error', 'data-testid': 'audit-error' }, t('case.bad_id')));
      return;
    }
    const q = { tab: 'trail', case_id: id, department: dept.value, from: from.value, to: to.value };
    history.replaceState(null, '', `#/audit${query(q)}`);
    out.classList.add('loading');
    try {
      const r = await get('/api/v1/audit/trail', { case_id: id, department: dept.value, from: from.value, to: to.value, limit: 50, cursor: pager.cursor });
      if (my !== seq || !state.alive) return;
      pager.next = r.next_cursor || null;
      replace(out, table(['col.seq', 'col.at', 'col.case', 'col.type', 'col.actor', 'col.from', 'col.to', 'col.reason', 'col.data'],
        (r.items || []).map((e) => [
          String(e.seq), instant(e.at), e.case_id ? caseLink(e.case_id) : '—', eventLabel(e.type), e.actor || '', who(e.from), who(e.to),
          e.reason || '', dataList(e.data, 'audit-row-data') || '',
        ]), { testid: 'audit-trail', rowTestid: 'audit-row', emptyKey: 'audit.empty', class: 'trail-table' }));
    } catch (e) {
      if (my === seq) replace(out, errorNode(e, 'audit-error'));
      pager.next = null;
    } finally {
      if (my === seq) {
        out.classList.remove('loading');
        replace(pagerSlot, pager.controls(load, 'audit-pager'));
      }
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    pager.reset();
    load();
  });
  load();
}

function piiViews(panel, params, state) {
  const caseId = h('input', { type: 'text', inputmode: 'numeric', 'data-testid': 'audit-pii-case-id', value: params.get('case_id') || '', size: 8 });
  const apply = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'audit-pii-apply' }, t('audit.apply'));
  const form = h('form', { class: 'filters' }, labelled('audit-pii-case-id', 'audit.case_id', caseId), apply);
  const out = h('div', { 'aria-live': 'polite' });
  replace(panel, h('p', { class: 'muted' }, t('audit.pii_lead')), form, out);
  async function load() {
    const id = caseId.value.trim().replace(/^#/, '');
    history.replaceState(null, '', `#/audit${query({ tab: 'pii', case_id: id })}`);
    out.classList.add('loading');
    try {
      const r = await get('/api/v1/audit/pii_views', { case_id: id, limit: 200 });
      if (!state.alive) return;
      replace(out, table(['col.at', 'col.viewer', 'col.role', 'col.department', 'col.case', 'col.fields', 'col.reason', 'col.remote'],
        (r.items || []).map((v) => [
          instant(v.at), v.viewer, roleLabel(v.role), departmentName(v.department), canReadCases() ? caseLink(v.case_id) : `#${v.case_id}`, v.fields, v.reason || '—', v.remote || '',
        ]), { testid: 'audit-pii-views', rowTestid: 'audit-pii-row', emptyKey: 'audit.empty' }));
    } catch (e) {
      replace(out, errorNode(e, 'audit-error'));
    } finally {
      out.classList.remove('loading');
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  load();
}

function ledger(panel, state) {
  const out = h('div', { 'aria-live': 'polite' });
  const again = h('button', { type: 'button', class: 'btn', 'data-testid': 'audit-ledger-refresh' }, t('audit.ledger_check'));
  replace(panel, h('div', { class: 'actions' }, again), out);
  async function load() {
    again.disabled = true;
    out.classList.add('loading');
    replace(out, h('p', { class: 'muted' }, t('audit.ledger_checking')));
    try {
      const r = await get('/api/v1/audit/ledger');
      if (!state.alive) return;
      const ok = !!r.verified;
      const head = r.head || {};
      const cp = r.checkpoint;
      replace(out, h('div', { class: 'ledger', 'data-testid': 'audit-ledger', 'data-verified': String(ok) },
        h('div', { class: `msg ${ok ? 'msg-ok' : 'msg-error'}`, 'data-testid': 'audit-ledger-verified' },
          ok ? t('audit.ledger_ok') : t('audit.ledger_bad', { seq: r.first_bad_seq ?? '—' }),
          !ok && r.problem ? h('span', { class: 'msg-detail', 'data-testid': 'audit-ledger-problem' }, r.problem) : null),
        h('dl', { class: 'facts' },
          h('dt', null, t('audit.ledger_events')), h('dd', { 'data-testid': 'audit-ledger-events' }, String(r.events ?? '—')),
          h('dt', null, t('audit.ledger_head')), h('dd', { class: 'hash' }, head.seq !== undefined ? `#${head.seq} ${head.hash || ''}` : '—'),
          h('dt', null, t('audit.ledger_first_bad')), h('dd', { 'data-testid': 'audit-ledger-first-bad' }, r.first_bad_seq === null || r.first_bad_seq === undefined ? '—' : `#${r.first_bad_seq}`),
          h('dt', null, t('audit.ledger_checkpoint')), h('dd', { class: 'hash', 'data-testid': 'audit-ledger-checkpoint' }, cp ? `#${cp.seq} ${cp.hash} · ${instant(cp.at)}` : t('audit.ledger_no_checkpoint')),
          h('dt', null, t('audit.ledger_checked_at')), h('dd', null, instant(r.checked_at)))));
    } catch (e) {
      replace(out, errorNode(e, 'audit-error'));
    } finally {
      again.disabled = false;
      out.classList.remove('loading');
    }
  }
  again.addEventListener('click', load);
  load();
}

function exportPanel(panel) {
  const from = h('input', { type: 'date', 'data-testid': 'audit-export-from' });
  const to = h('input', { type: 'date', 'data-testid': 'audit-export-to' });
  // A plain link: the session cookie authenticates a GET; no CSRF header is needed.
  const link = h('a', { class: 'btn btn-primary', 'data-testid': 'audit-export-link', download: '' }, t('audit.export_download'));
  const update = () => {
    link.href = `/api/v1/audit/export${query({ from: from.value, to: to.value })}`;
  };
  from.addEventListener('input', update);
  to.addEventListener('input', update);
  update();
  replace(panel, h('p', { class: 'muted' }, t('audit.export_lead')),
    h('div', { class: 'filters' }, labelled('audit-export-from', 'audit.from', from), labelled('audit-export-to', 'audit.to', to), link),
    h('p', { class: 'muted' }, t('audit.export_verify')));
}
