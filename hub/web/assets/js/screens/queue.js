// 工作台 work queues: triage, a department's cases, supervised (督办), 问题工单 and all cases, with
// filters, two-character search, newest/due sort and next_cursor paging (no counts).

import { h, replace, clear, debounce } from '../dom.js';
import { label, t } from '../i18n.js';
import { ApiError, get } from '../api.js';
import { instant } from '../fmt.js';
import {
  app,
  canReadCases,
  categoryClasses,
  categoryLabel,
  departmentName,
  departments,
  isCounter,
  myDepartment,
  placePath,
  subtypes,
  towns,
  systemLabel,
} from '../state.js';
import { CursorPager, caseLink, clockChip, errorNode, statusBadge, table } from '../widgets.js';

const LEVELS = ['village', 'town', 'county', 'joint'];
const LIMIT = 30;
const pagers = new Map(); // per filter set, so coming back from a case shows the same page

function tabs() {
  const role = app.session.role;
  const out = [];
  if (isCounter() || role === 'auditor') out.push('triage');
  if (role === 'operator' ? !!myDepartment() : canReadCases()) out.push('department');
  out.push('supervised', 'problem', 'all');
  return out;
}

function defaultTab() {
  if (isCounter()) return 'triage';
  if (app.session.role === 'operator' && myDepartment()) return 'department';
  return 'all';
}


const FILTERS = ['q', 'system', 'category', 'level', 'division', 'status', 'sort', 'department'];

function opt(value, text, selected) {
  return h('option', { value, selected: !!selected }, text);
}

// The screen: its filter state (tab and FILTERS), the filter controls, where results
// and the pager go, the request sequence and the pager of the current filter set.
export function render(view, ctx) {
  const available = tabs();
  const state = initialState(ctx.params, available);
  const byDue = state.tab === 'department' || state.tab === 'supervised'; // the server sorts by due only there
  const page = { state, byDue, ctl: filterControls(state, byDue), seq: 0 };
  page.results = h('div', { class: 'results', 'data-testid': 'queue-results', 'aria-live': 'polite' });
  page.pagerSlot = h('div');
  replace(view, h('div', { class: 'page-head' }, h('h1', null, t('nav.queue'))), tabBar(available, state.tab),
    h('div', { class: 'card' }, page.ctl.form, page.results, page.pagerSlot));
  page.pager = pagerFor(hashQuery(state));
  page.typed = debounce(() => apply(page), 400);
  listen(page);
  clear(page.results);
  load(page);
  return () => {
    page.typed.cancel();
    page.seq++;
  };
}

function initialState(p, available) {
  const state = { tab: available.includes(p.get('tab')) ? p.get('tab') : defaultTab() };
  for (const k of FILTERS) state[k] = p.get(k) || '';
  if (state.tab === 'department' && app.session.role === 'operator') state.department = myDepartment();
  if (state.tab === 'department' && !state.department) state.department = (departments()[0] || {}).id || '';
  return state;
}

function tabBar(available, tab) {
  return h('div', { class: 'tabs', role: 'tablist' }, available.map((tb) => h('a', {
    href: `#/queue?tab=${tb}`,
    role: 'tab',
    class: tb === tab ? 'active' : undefined,
    'aria-selected': tb === tab ? 'true' : 'false',
    'data-testid': `queue-tab-${tb}`,
  }, tb === 'department' && app.session.role === 'operator'
    ? t('queue.tab_mine', { dept: departmentName(myDepartment()) })
    : t(`queue.tab_${tb}`))));
}

// ---- filter controls ----
function filterControls(state, byDue) {
  const search = h('input', {
    type: 'search',
    id: 'queue-search',
    'data-testid': 'queue-search',
    maxlength: 100,
    value: state.q,
    placeholder: t('queue.search_placeholder'),
    'aria-label': t('queue.search'),
  });
  const sysList = systemList();
  const system = h('input', { type: 'text', list: 'queue-systems', 'data-testid': 'queue-filter-system', value: state.system, 'aria-label': t('queue.system'), placeholder: t('queue.system') });
  const category = categorySelect(state.category);
  const level = h('select', { 'data-testid': 'queue-filter-level', 'aria-label': t('queue.level') }, opt('', t('queue.level_all')),
    LEVELS.map((l) => opt(l, t(`level.${l}`), state.level === l)));
  const division = h('select', { 'data-testid': 'queue-filter-division', 'aria-label': t('queue.division') }, opt('', t('queue.division_all')),
    towns().map((d) => opt(d.code, d.name, state.division === d.code)));
  const status = h('select', { 'data-testid': 'queue-filter-status', 'aria-label': t('queue.status') }, opt('', t('queue.status_all')),
    ((app.ref && app.ref.statuses) || []).map((x) => opt(x.id, label('status', x.id, x.label), state.status === x.id)));
  const sort = h('select', { 'data-testid': 'queue-sort', 'aria-label': t('queue.sort') },
    opt('newest', t('queue.sort_newest'), state.sort !== 'due'), opt('due', t('queue.sort_due'), state.sort === 'due'));
  sort.disabled = !byDue;
  let dept = null;
  if (state.tab === 'department' && app.session.role !== 'operator') {
    dept = h('select', { 'data-testid': 'queue-filter-department', 'aria-label': t('queue.department') },
      departments().map((d) => opt(d.id, d.short || d.name, d.id === state.department)));
  }
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'queue-search-submit' }, t('queue.search'));
  const resetBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'queue-filter-reset' }, t('queue.reset'));
  const form = h('form', { class: 'filters', role: 'search', 'data-testid': 'queue-filters' },
    search, sysList, system, category, level, division, status, sort, dept, submit, resetBtn);
  return { form, search, system, category, level, division, status, sort, dept, resetBtn };
}

// Suggestions only (the reference data has no list of systems): the hub's intake
// system and the systems the message table names; any plugin name may be typed.
function systemList() {
  const systems = new Set([...((app.ref && app.ref.systems) || []).map((x) => (typeof x === 'string' ? x : x && x.id)), app.ref && app.ref.intake_system, ...Object.keys((app.ref && app.ref.system_labels) || {})].filter(Boolean));
  return h('datalist', { id: 'queue-systems' }, [...systems].map((x) => h('option', { value: x }, systemLabel(x))));
}

function categorySelect(chosen) {
  const category = h('select', { 'data-testid': 'queue-filter-category', 'aria-label': t('queue.category') }, opt('', t('queue.category_all')));
  for (const k of categoryClasses()) {
    const subs = subtypes(k.id);
    if (subs.length) {
      category.appendChild(opt(`${k.id}/`, t('queue.class_all', { label: k.label }), chosen === `${k.id}/`));
      category.appendChild(opt(k.id, t('queue.class_only', { label: k.label }), chosen === k.id));
      for (const sub of subs) category.appendChild(opt(sub.id, `　${sub.label}`, chosen === sub.id));
    } else {
      category.appendChild(opt(k.id, k.label, chosen === k.id));
    }
  }
  return category;
}

// ---- state → URL and query ----
function read(page) {
  const { state, ctl } = page;
  state.q = ctl.search.value.trim();
  state.system = ctl.system.value.trim();
  state.category = ctl.category.value;
  state.level = ctl.level.value;
  state.division = ctl.division.value;
  state.status = ctl.status.value;
  state.sort = ctl.sort.value === 'due' && page.byDue ? 'due' : '';
  if (ctl.dept) state.department = ctl.dept.value;
}

function hashQuery(state) {
  const q = new URLSearchParams({ tab: state.tab });
  for (const k of FILTERS) if (state[k] && !(k === 'department' && app.session.role === 'operator')) q.set(k, state[k]);
  return q.toString();
}

function pagerFor(qs) {
  if (!pagers.has(qs)) pagers.set(qs, new CursorPager());
  return pagers.get(qs);
}

function listParams(page) {
  const { state } = page;
  const params = {
    q: state.q,
    system: state.system,
    category: state.category,
    level: state.level,
    division: state.division,
    status: state.status,
    limit: LIMIT,
    cursor: page.pager.cursor,
  };
  if (state.tab !== 'all') {
    params.queue = state.tab;
    if (state.tab === 'department') params.department = state.department;
    if (state.sort === 'due' && page.byDue) params.sort = 'due';
  }
  return params;
}

async function load(page) {
  const my = ++page.seq;
  page.results.classList.add('loading');
  const params = listParams(page);
  try {
    const r = await get('/api/v1/cases', params);
    if (my !== page.seq) return;
    page.pager.next = r.next_cursor || null;
    showRows(page.results, r.items || []);
  } catch (e) {
    if (my !== page.seq) return;
    if (e instanceof ApiError && e.code === 'bad_cursor') {
      page.pager.reset();
      load(page);
      return;
    }
    replace(page.results, errorNode(e, 'queue-error'));
    page.pager.next = null;
  } finally {
    if (my === page.seq) {
      page.results.classList.remove('loading');
      replace(page.pagerSlot, page.pager.controls(() => load(page), 'queue-pager'));
    }
  }
}

function showRows(results, items) {
  const rows = items.map((k) => ({
    cells: [
      caseLink(k.id, `#${k.id}`, 'queue-row-id'),
      h('a', { href: `#/case/${k.id}`, class: 'title', 'data-testid': 'queue-row-title' }, k.title || t('case.untitled')),
      categoryLabel(k.category),
      h('span', null, placePath(k.place && k.place.division_code), k.place && k.place.address ? h('span', { class: 'muted' }, ` ${k.place.address}`) : null),
      statusBadge(k.status, k.status_label, 'queue-row-status'),
      systemLabel(k.source_system),
      instant(k.received_at),
      h('div', { class: 'clocks' }, (k.obligations || []).map((o) => clockChip(o, 'queue-row-clock'))),
    ],
  }));
  const tbl = table(['col.id', 'col.title', 'col.category', 'col.place', 'col.status', 'col.system', 'col.received', 'col.clocks'], rows, {
    testid: 'queue-table',
    rowTestid: 'queue-row',
    emptyKey: 'queue.empty',
    class: 'queue-table',
  });
  if (tbl.tagName === 'TABLE') {
    const trs = tbl.tBodies[0].rows;
    items.forEach((k, i) => trs[i].setAttribute('data-case-id', k.id));
  }
  replace(results, tbl);
}

function apply(page) {
  read(page);
  const qs = hashQuery(page.state);
  history.replaceState(null, '', `#/queue?${qs}`);
  page.pager = pagerFor(qs);
  page.pager.reset();
  load(page);
}

// ---- events ----
function listen(page) {
  const { search, system, category, level, division, status, sort, dept, resetBtn, form } = page.ctl;
  let composing = false;
  search.addEventListener('compositionstart', () => (composing = true));
  search.addEventListener('compositionend', () => {
    composing = false;
    page.typed();
  });
  search.addEventListener('input', (ev) => {
    if (!composing && !ev.isComposing) page.typed();
  });
  system.addEventListener('change', () => apply(page));
  for (const el of [category, level, division, status, sort, dept]) if (el) el.addEventListener('change', () => apply(page));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    page.typed.cancel();
    apply(page);
  });
  resetBtn.addEventListener('click', () => {
    search.value = '';
    system.value = '';
    for (const el of [category, level, division, status]) el.value = '';
    sort.value = 'newest';
    apply(page);
  });
}
