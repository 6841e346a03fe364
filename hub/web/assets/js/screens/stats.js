// 统计 dashboard: GET /api/v1/stats?from=&to= for the cases received in a date range,
// drawn as SVG bars and lines (charts.js is loaded with this screen only), and the
// departments' ratings over the same dates (GET /api/v1/ratings): the ranking table.

import { h, replace } from '../dom.js';
import { label, t } from '../i18n.js';
import { get } from '../api.js';
import { number, percent, today } from '../fmt.js';
import { bars, lines } from '../charts.js';
import { categoryLabel, departmentName, levelLabel, statusLabel, systemLabel } from '../state.js';
import { errorNode, table } from '../widgets.js';

function entries(obj, name) {
  return Object.entries(obj || {})
    .map(([k, v]) => ({ label: name(k), value: Number(v) || 0, key: k }))
    .sort((a, b) => b.value - a.value);
}

function card(titleKey, testid, content, wide) {
  return h('section', { class: ['card', 'stat-card', wide && 'stat-wide'], 'data-testid': testid }, h('h2', null, t(titleKey)), content);
}

// The ranking table: each rate with the counts behind it, the score and its trend.
function ratingsCard(ratings, from, to) {
  const ids = ['sign_for_on_time', 'handle_on_time', 'satisfaction', 'reopened'];
  const rows = (ratings.departments || []).map((d) => {
    const trend = d.trend === null || d.trend === undefined ? '—'
      : h('span', { class: d.trend >= 0 ? 'trend-up' : 'trend-down', 'data-testid': 'rating-trend' },
        `${d.trend >= 0 ? '↑' : '↓'} ${(Math.abs(d.trend) * 100).toFixed(1)}`);
    return [
      d.rank ? String(d.rank) : t('stats.unranked'),
      departmentName(d.department),
      ...ids.map((id) => {
        const x = (d.rates || {})[id] || {};
        return h('span', { 'data-testid': `rating-${id}` }, percent(x.rate), ' ',
          h('span', { class: 'muted' }, t('stats.rate_counts', { n: number(x.numerator), d: number(x.denominator) })));
      }),
      h('span', { 'data-testid': 'rating-score' }, d.score === null || d.score === undefined ? '—' : (d.score * 100).toFixed(1)),
      trend,
    ];
  });
  const p = ratings.period || {};
  return card('stats.ratings', 'stats-ratings', h('div', null,
    h('p', { class: 'muted' }, t('stats.ratings_period', { from, to, pf: p.from, pt: p.to })),
    rows.length
      ? table(['col.rank', 'col.department', ...ids.map((id) => `col.${id}`), 'col.score', 'col.trend'], rows, { testid: 'stats-ratings-table', rowTestid: 'stats-rating-row' })
      : h('div', { class: 'empty' }, t('common.none'))), true);
}

function total(key, n, testid, text, detail) {
  return h('div', { class: 'total', 'data-testid': testid }, h('div', { class: 'total-n' }, text || number(n)), h('div', { class: 'total-l' }, t(key)),
    detail ? h('div', { class: 'muted' }, detail) : null);
}

export function render(view, ctx) {
  const p = ctx.params;
  const from = h('input', { type: 'date', id: 'stats-from', 'data-testid': 'stats-from', value: p.get('from') || `${today().slice(0, 4)}-01-01` });
  const to = h('input', { type: 'date', id: 'stats-to', 'data-testid': 'stats-to', value: p.get('to') || today() });
  const apply = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'stats-apply' }, t('stats.apply'));
  const preset = (key, f) => h('button', {
    type: 'button',
    class: 'btn btn-quiet',
    'data-testid': `stats-preset-${key}`,
    onclick: () => {
      const [a, b] = f();
      from.value = a;
      to.value = b;
      run();
    },
  }, t(`stats.preset_${key}`));
  const form = h('form', { class: 'filters', 'data-testid': 'stats-range' },
    h('label', { for: 'stats-from' }, t('stats.from')), from,
    h('label', { for: 'stats-to' }, t('stats.to')), to, apply,
    preset('month', () => [`${today().slice(0, 7)}-01`, today()]),
    preset('30', () => [today(-29), today()]),
    preset('year', () => [`${today().slice(0, 4)}-01-01`, today()]));
  const out = h('div', { class: 'stats', 'aria-live': 'polite' });
  replace(view, h('div', { class: 'page-head' }, h('h1', null, t('nav.stats'))), h('div', { class: 'card' }, form), out);

  let seq = 0;
  async function run() {
    const my = ++seq;
    if (from.value && to.value && from.value > to.value) {
      replace(out, h('div', { class: 'msg msg-error', 'data-testid': 'stats-error' }, t('stats.bad_range')));
      return;
    }
    history.replaceState(null, '', `#/stats?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`);
    out.classList.add('loading');
    try {
      const range = { from: from.value, to: to.value };
      const [r, ratings] = await Promise.all([get('/api/v1/stats', range), get('/api/v1/ratings', range)]);
      if (my === seq) draw(r, ratings);
    } catch (e) {
      if (my === seq) replace(out, errorNode(e, 'stats-error'));
    } finally {
      if (my === seq) out.classList.remove('loading');
    }
  }

  function draw(r, ratings) {
    const depts = (r.departments || []).slice().sort((a, b) => (b.overdue_rate || 0) - (a.overdue_rate || 0));
    const maxHours = Math.max(1, ...depts.map((d) => Number(d.avg_handling_hours) || 0));
    const deptRows = depts.map((d) => {
      const rate = h('span', { class: 'meter' }, h('span', { class: 'meter-fill meter-bad' }));
      rate.firstChild.style.width = `${Math.min(100, (Number(d.overdue_rate) || 0) * 100).toFixed(1)}%`;
      const hours = h('span', { class: 'meter' }, h('span', { class: 'meter-fill' }));
      hours.firstChild.style.width = `${((100 * (Number(d.avg_handling_hours) || 0)) / maxHours).toFixed(1)}%`;
      return [
        departmentName(d.department),
        number(d.obligations),
        number(d.overdue),
        h('span', { class: 'with-meter' }, rate, percent(d.overdue_rate)),
        h('span', { class: 'with-meter' }, hours, d.avg_handling_hours === null || d.avg_handling_hours === undefined ? '—' : t('stats.hours', { n: number(d.avg_handling_hours, 1) })),
      ];
    });
    const outcomes = r.outcomes || {};
    const monthly = r.monthly || [];
    replace(out,
      h('div', { class: 'totals', 'data-testid': 'stats-totals' },
        total('stats.cases_total', r.cases_total, 'stats-cases-total'),
        total('stats.merged_total', r.merged_total, 'stats-merged-total'),
        total('stats.proposals_pending', r.proposals_pending, 'stats-proposals-pending'),
        total('stats.problem_orders', r.problem_orders, 'stats-problem-orders'),
        total('stats.outcome_rate', null, 'stats-outcomes', percent(outcomes.settled_rate), t('stats.outcome_detail', { s: number(outcomes.settled), c: number(outcomes.reported) }))),
      h('div', { class: 'stat-grid' },
        ratingsCard(ratings || {}, from.value, to.value),
        card('stats.by_system', 'stats-by-system', bars(entries(r.cases_by_system || r.by_system, (k) => systemLabel(k)), { testid: 'chart-by-system' })),
        card('stats.by_status', 'stats-by-status', bars(entries(r.by_status, (k) => statusLabel(k)), { testid: 'chart-by-status' })),
        card('stats.by_category', 'stats-by-category', bars(entries(r.by_category, categoryLabel), { testid: 'chart-by-category' })),
        card('stats.by_level', 'stats-by-level', bars(entries(r.by_level, levelLabel), { testid: 'chart-by-level' })),
        card('stats.monthly', 'stats-monthly', monthly.length
          ? lines(monthly.map((m) => m.month), [
            { name: t('stats.received'), cls: 's1', values: monthly.map((m) => m.received) },
            { name: t('stats.closed'), cls: 's2', values: monthly.map((m) => m.closed) },
          ], { testid: 'chart-monthly', width: 1160, height: 240 })
          : h('div', { class: 'empty' }, t('common.none')), true),
        card('stats.departments', 'stats-departments', h('div', null,
          depts.length ? bars(depts.slice(0, 12).map((d) => ({ label: departmentName(d.department), value: Number(d.overdue_rate) || 0, text: percent(d.overdue_rate), cls: 'bar bar-bad' })), { testid: 'chart-overdue-rate', width: 1160, labelWidth: 180 }) : null,
          table(['col.department', 'col.obligations', 'col.overdue', 'col.overdue_rate', 'col.avg_handling'], deptRows, { testid: 'stats-departments-table', rowTestid: 'stats-department-row' })), true)));
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    run();
  });
  run();
  return () => {
    seq++;
  };
}
