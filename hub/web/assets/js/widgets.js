// Pieces every screen uses: labelled fields with their error line, status badges,
// SLA clock chips, tables, messages, and a cursor pager (no counts, ever).

import { h, nextId, replace, clear } from './dom.js';
import { has, t } from './i18n.js';
import { clockState, clockText, instant, plain } from './fmt.js';
import { departmentName, dutyLabel, statusLabel } from './state.js';

// The user's message for an API error: the table's text for its code, the server's
// own message only as detail.
export function errorText(e) {
  if (!e) return '';
  const code = e.code || 'generic';
  const main = has(`err.${code}`) ? t(`err.${code}`) : t('err.generic', { status: e.status || '' });
  return main;
}

export function errorNode(e, testid = 'error') {
  return h(
    'div',
    { class: 'msg msg-error', role: 'alert', 'data-testid': testid, 'data-code': e.code || '' },
    h('span', null, errorText(e)),
    e.detail ? h('span', { class: 'msg-detail' }, e.detail) : null,
  );
}

export function message(kind, text, testid) {
  return h('div', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testid }, text);
}

// A labelled control and the line under it for its error.
export function field(labelText, control, opts = {}) {
  const id = control.id || nextId('f');
  control.id = id;
  if (opts.testid) control.setAttribute('data-testid', opts.testid);
  if (opts.required) control.setAttribute('aria-required', 'true');
  const err = h('div', {
    class: 'field-error',
    id: `${id}-err`,
    'data-testid': opts.testid ? `${opts.testid}-error` : undefined,
    'aria-live': 'polite',
  });
  control.setAttribute('aria-describedby', err.id);
  const wrap = h(
    'div',
    { class: ['field', opts.wide && 'field-wide', opts.class] },
    h('label', { for: id }, labelText, opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control,
    opts.hint ? h('div', { class: 'field-hint' }, opts.hint) : null,
    err,
  );
  return {
    wrap,
    control,
    setError(code, detail) {
      if (!code) {
        clear(err);
        control.removeAttribute('aria-invalid');
        wrap.classList.remove('invalid');
        return;
      }
      replace(err, has(`fe.${code}`) ? t(`fe.${code}`) : t('fe.other', { code }));
      if (detail) err.title = detail;
      control.setAttribute('aria-invalid', 'true');
      wrap.classList.add('invalid');
    },
  };
}

export function input(attrs) {
  return h('input', { type: 'text', autocomplete: 'off', ...attrs });
}

export function select(options, attrs) {
  const el = h('select', attrs);
  for (const [value, text] of options) el.appendChild(h('option', { value }, text));
  return el;
}

export function statusBadge(status, fallback, testid) {
  return h('span', { class: `badge st-${status}`, 'data-testid': testid, 'data-status': status }, statusLabel(status, fallback));
}

export function clockChip(o, testid = 'clock') {
  const st = clockState(o);
  const who = [departmentName(o.department), dutyLabel(o.duty)].filter(Boolean).join(' · ');
  return h(
    'span',
    { class: `clock clock-${st}`, 'data-testid': testid, 'data-state': st, title: o.due_at ? instant(o.due_at) : undefined },
    who ? h('span', { class: 'clock-who' }, who) : null,
    h('span', { class: 'clock-left' }, clockText(o)),
  );
}

export function caseLink(id, text, testid) {
  return h('a', { href: `#/case/${id}`, 'data-testid': testid }, text === undefined ? `#${id}` : text);
}

// table(['col.id', …], rows of cells, {testid, rowTestid}) — cells are nodes or text.
export function table(headKeys, rows, opts = {}) {
  const thead = h('thead', null, h('tr', null, headKeys.map((k) => h('th', { scope: 'col' }, t(k)))));
  const tbody = h('tbody');
  for (const r of rows) {
    const cells = Array.isArray(r) ? r : r.cells;
    const tr = h('tr', { 'data-testid': opts.rowTestid, class: r.class });
    for (const c of cells) tr.appendChild(c instanceof Node && c.tagName === 'TD' ? c : h('td', null, c));
    tbody.appendChild(tr);
  }
  const tbl = h('table', { class: ['grid', opts.class], 'data-testid': opts.testid }, thead, tbody);
  return rows.length ? tbl : h('div', { class: 'empty', 'data-testid': opts.testid ? `${opts.testid}-empty` : undefined }, t(opts.emptyKey || 'common.none'));
}

export function section(titleKey, ...children) {
  return h('section', { class: 'card' }, h('h2', null, t(titleKey)), ...children);
}

// Paging by next_cursor with a stack of the cursors that led to each page, so
// "previous" needs no offset and nothing counts every row.
export class CursorPager {
  constructor() {
    this.reset();
  }
  reset() {
    this.stack = [];
    this.cursor = '';
    this.next = null;
  }
  forward() {
    if (!this.next) return false;
    this.stack.push(this.cursor);
    this.cursor = this.next;
    return true;
  }
  back() {
    if (!this.stack.length) return false;
    this.cursor = this.stack.pop();
    return true;
  }
  get page() {
    return this.stack.length + 1;
  }
  controls(onMove, testid = 'pager') {
    const prev = h('button', {
      type: 'button',
      class: 'btn',
      'data-testid': `${testid}-prev`,
      disabled: !this.stack.length,
      onclick: () => this.back() && onMove(),
    }, t('pager.prev'));
    const next = h('button', {
      type: 'button',
      class: 'btn',
      'data-testid': `${testid}-next`,
      disabled: !this.next,
      onclick: () => this.forward() && onMove(),
    }, t('pager.next'));
    return h('div', { class: 'pager', 'data-testid': testid }, prev, h('span', { class: 'pager-page' }, t('pager.page', { n: this.page })), next);
  }
}

// Labelled key: value lines for whatever an event or a proposal carries.
export function dataList(obj, testid) {
  if (obj === null || obj === undefined) return null;
  if (typeof obj !== 'object' || Array.isArray(obj)) return h('div', { class: 'kv', 'data-testid': testid }, h('span', { class: 'kv-v' }, plain(obj)));
  const keys = Object.keys(obj);
  if (!keys.length) return null;
  return h(
    'dl',
    { class: 'kv', 'data-testid': testid },
    // A key the message table names is shown by its name (data.<key>), any other as is.
    keys.map((k) => [h('dt', null, has(`data.${k}`) ? t(`data.${k}`) : k), h('dd', null, plain(obj[k]))]),
  );
}

