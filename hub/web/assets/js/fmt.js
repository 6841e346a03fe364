// Dates in the county's civil time (Beijing, UTC+8, no daylight saving): 2026-02-26 14:30.
// Durations as docs/architecture.md §12 writes them: 剩余 3 个工作日, 超期 2 天.

import { list, t } from './i18n.js';

const OFFSET_MS = 8 * 3600 * 1000;
const pad = (n) => String(n).padStart(2, '0');

function shifted(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + OFFSET_MS);
}

export function instant(iso) {
  const d = shifted(iso);
  if (!d) return iso || '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}`;
}

export function day(iso) {
  const d = shifted(iso);
  if (!d) return iso || '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// Today in Beijing as YYYY-MM-DD, shifted by `days`.
export function today(days = 0) {
  const d = new Date(Date.now() + OFFSET_MS + days * 86400000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function number(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return Number(n).toLocaleString(document.documentElement.lang || 'zh-CN', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
}

export function percent(r) {
  if (r === null || r === undefined || Number.isNaN(Number(r))) return '—';
  return `${(Number(r) * 100).toFixed(1)}%`;
}

const UNIT_KEYS = {
  working_day: 'time.working_days',
  workdays: 'time.working_days',
  workday: 'time.working_days',
  day: 'time.days',
  days: 'time.days',
  natural_day: 'time.days',
  hour: 'time.hours',
  hours: 'time.hours',
};

// {"unit": "working_day", "value": -2} → "超期 2 个工作日"
export function timeLeft(tl) {
  if (!tl || tl.value === undefined || tl.value === null) return '';
  const v = Number(tl.value);
  const abs = Math.abs(v);
  const n = Number.isInteger(abs) ? String(abs) : abs.toFixed(1);
  const amount = t(UNIT_KEYS[tl.unit] || 'time.units', { n, unit: tl.unit });
  return t(v < 0 ? 'time.overdue' : 'time.left', { amount });
}

// The clock state of an obligation: ok (green), warned (amber), overdue (red), paused
// (grey), done (met or cancelled).
export function clockState(o) {
  if (o.state === 'overdue' || (o.time_left && Number(o.time_left.value) < 0 && o.state === 'open')) return 'overdue';
  if (o.state === 'paused') return 'paused';
  if (o.state === 'met' || o.state === 'cancelled') return 'done';
  if (o.warned) return 'warned';
  return 'ok';
}

export function clockText(o) {
  const st = clockState(o);
  const left = timeLeft(o.time_left);
  const word = t(`clock.${st}`);
  if (st === 'overdue' && left && Number(o.time_left.value) < 0) return left; // 超期 2 个工作日
  return left ? `${word} · ${left}` : word;
}

// A value from an event's data, readable whatever its shape.
export function plain(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return list(v.map(String));
  return JSON.stringify(v);
}
