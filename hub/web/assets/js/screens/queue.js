// 工作台 work queues: triage, a department's cases, supervised (督办) and all cases, with
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
  out.push('supervised', 'all');
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

export function render(view, ctx) {
  const p = ctx.params;
  const available = tabs();
  const state = { tab: available.includes(p.get('tab')) ? p.get('tab') : defaultTab() };
  for (const k of FILTERS) state[k] = p.get(k) || '';
  if (state.tab === 'department' && app.session.role === 'operator') state.department = myDepartment();
  if (state.tab === 'department' && !state.department) state.department = (departments()[0] || {}).id || '';

  // ---- filter controls ----
  const search = h('input', {
    type: 'search',
    id: 'queue-search',
    'data-testid': 'queue-search',
    maxlength: 100,
    value: state.q,
    placeholder: t('queue.search_placeholder'),
    'aria-label': t('queue.search'),
  });
  // Suggestions only (the reference data has no list of systems): the hub's intake
  // system and the systems the message table names; any plugin name may be typed.
  const systems = new Set([...((app.ref && app.ref.systems) || []).map((x) => (typeof x === 'string' ? x : x && x.id)), app.ref && app.ref.intake_system, ...Object.keys((app.ref && app.ref.system_labels) || {})].filter(Boolean));
  const sysList = h('datalist', { id: 'queue-systems' }, [...systems].map((x) => h('option', { value: x }, systemLabel(x))));
  const system = h('input', { type: 'text', list: 'queue-systems', 'data-testid': 'queue-filter-system', value: state.system, 'aria-label': t('queue.system'), placeholder: t('queue.system') });
  const category = h('select', { 'data-testid': 'queue-filter-category', 'aria-label': t('queue.category') }, opt('', t('queue.category_all')));
  for (const k of categoryClasses()) {
    const subs = subtypes(k.id);
    if (subs.length) {
      category.appendChild(opt(`${k.id}/`, t('queue.class_all', { label: k.label }), state.category === `${k.id}/`));
      category.appendChild(opt(k.id, t('queue.class_only', { label: k.label }), state.category === k.id));
      for (const sub of subs) category.appendChild(opt(sub.id, `　${sub.label}`, state.category === sub.id));
    } else {
      category.appendChild(opt(k.id, k.label, state.category === k.id));
    }
  }
  const level = h('select', { 'data-testid': 'queue-filter-level', 'aria-label': t('queue.level') }, opt('', t('queue.level_all')),
    LEVELS.map((l) => opt(l, t(`level.${l}`), state.level === l)));
  const division = h('select', { 'data-testid': 'queue-filter-division', 'aria-label': t('queue.division') }, opt('', t('queue.division_all')),
    towns().map((d) => opt(d.code, d.name, state.division === d.code)));
  const status = h('select', { 'data-testid': 'queue-filter-status', 'aria-label': t('queue.status') }, opt('', t('queue.status_all')),
    ((app.ref && app.ref.statuses) || []).map((x) => opt(x.id, label('status', x.id, x.label), state.status === x.id)));
  const sort = h('select', { 'data-testid': 'queue-sort', 'aria-label': t('queue.sort') },
    opt('newest', t('queue.sort_newest'), state.sort !== 'due'), opt('due', t('queue.sort_due'), state.sort === 'due'));
  const byDue = state.tab === 'department' || state.tab === 'supervised'; // the server sorts by due only there
  sort.disabled = !byDue;
  let dept = null;
  if (state.tab === 'department' && app.session.role !== 'operator') {
    dept = h('select', { 'data-testid': 'queue-filter-department', 'aria-label': t('queue.department') },
      departments().map((d) => opt(d.id, d.short || d.name, d.id === state.department)));
  }
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'queue-search-submit' }, t('queue.search'));
  const resetBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'queue-filter-reset' }, t('queue.reset'));

  const filterForm = h('form', { class: 'filters', role: 'search', 'data-testid': 'queue-filters' },
    search, sysList, system, category, level, division, status, sort, dept, submit, resetBtn);

  const tabBar = h('div', { class: 'tabs', role: 'tablist' }, available.map((tb) => h('a', {
    href: `#/queue?tab=${tb}`,
    role: 'tab',
    class: tb === state.tab ? 'active' : undefined,
    'aria-selected': tb === state.tab ? 'true' : 'false',
    'data-testid': `queue-tab-${tb}`,
  }, tb === 'department' && app.session.role === 'operator'
    ? t('queue.tab_mine', { dept: departmentName(myDepartment()) })
    : t(`queue.tab_${tb}`))));

  const results = h('div', { class: 'results', 'data-testid': 'queue-results', 'aria-live': 'polite' });
  const pagerSlot = h('div');
  replace(view, h('div', { class: 'page-head' }, h('h1', null, t('nav.queue'))), tabBar, h('div', { class: 'card' }, filterForm, results, pagerSlot));

  // ---- state → URL and query ----
  function read() {
    state.q = search.value.trim();
    state.system = system.value.trim();
    state.category = category.value;
    state.level = level.value;
    state.division = division.value;
    state.status = status.value;
    state.sort = sort.value === 'due' && byDue ? 'due' : '';
    if (dept) state.department = dept.value;
  }
  function hashQuery() {
    const q = new URLSearchParams({ tab: state.tab });
    for (const k of FILTERS) if (state[k] && !(k === 'department' && app.session.role === 'operator')) q.set(k, state[k]);
    return q.toString();
  }
  function pagerFor(qs) {
    if (!pagers.has(qs)) pagers.set(qs, new CursorPager());
    return pagers.get(qs);
  }

  let seq = 0;
  let pager = pagerFor(hashQuery());

  async function load() {
    const my = ++seq;
    results.classList.add('loading');
    const params = {
      q: state.q,
      system: state.system,
      category: state.category,
      level: state.level,
      division: state.division,
      status: state.status,
      limit: LIMIT,
      cursor: pager.cursor,
    };
    if (state.tab !== 'all') {
      params.queue = state.tab;
      if (state.tab === 'department') params.department = state.department;
      if (state.sort === 'due' && byDue) params.sort = 'due';
    }
    try {
      const r = await get('/api/v1/cases', params);
      if (my !== seq) return;
      pager.next = r.next_cursor || null;
      showRows(r.items || []);
    } catch (e) {
      if (my !== seq) return;
      if (e instanceof ApiError && e.code === 'bad_cursor') {
        pager.reset();
        load();
        return;
      }
      replace(results, errorNode(e, 'queue-error'));
      pager.next = null;
    } finally {
      if (my === seq) {
        results.classList.remove('loading');
        replace(pagerSlot, pager.controls(() => load(), 'queue-pager'));
      }
    }
  }

  function showRows(items) {
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

  function apply() {
    read();
    const qs = hashQuery();
    history.replaceState(null, '', `#/queue?${qs}`);
    pager = pagerFor(qs);
    pager.reset();
    load();
  }

  const typed = debounce(apply, 400);
  let composing = false;
  search.addEventListener('compositionstart', () => (composing = true));
  search.addEventListener('compositionend', () => {
    composing = false;
    typed();
  });
  search.addEventListener('input', (ev) => {
    if (!composing && !ev.isComposing) typed();
  });
  system.addEventListener('change', apply);
  for (const el of [category, level, division, status, sort, dept]) if (el) el.addEventListener('change', apply);
  filterForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    typed.cancel();
    apply();
  });
  resetBtn.addEventListener('click', () => {
    search.value = '';
    system.value = '';
    for (const el of [category, level, division, status]) el.value = '';
    sort.value = 'newest';
    apply();
  });

  clear(results);
  load();
  return () => {
    typed.cancel();
    seq++;
  };
}
