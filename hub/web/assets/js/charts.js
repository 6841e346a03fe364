// Small SVG charts drawn by the page (no library): horizontal bars and a monthly
// line chart. Labels are text nodes; colours come from CSS classes.

import { h, s } from './dom.js';

const WIDTH = 560; // the viewBox width; the SVG scales to its card

// items: [{label, value, text?}] → horizontal bars, longest first as given.
export function bars(items, opts = {}) {
  const W = opts.width || WIDTH;
  const row = 22;
  const labelW = opts.labelWidth || 150;
  const valueW = 70;
  const height = Math.max(items.length, 1) * row + 8;
  const max = opts.max || Math.max(0, ...items.map((i) => Number(i.value) || 0)) || 1;
  const svg = s('svg', {
    class: 'chart chart-bars',
    viewBox: `0 0 ${W} ${height}`,
    role: 'img',
    'aria-label': opts.title || '',
    'data-testid': opts.testid,
  });
  items.forEach((it, i) => {
    const y = 4 + i * row;
    const v = Number(it.value) || 0;
    const w = Math.max(v > 0 ? 1 : 0, ((W - labelW - valueW) * v) / max);
    const g = s('g', { class: 'bar-row', 'data-label': it.label, 'data-value': v });
    g.appendChild(s('title', null, `${it.label}: ${it.text || v}`));
    g.appendChild(s('text', { x: labelW - 6, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'chart-label' }, truncate(it.label, 12)));
    g.appendChild(s('rect', { x: labelW, y: y + 3, width: w.toFixed(1), height: row - 8, rx: 2, class: it.cls || opts.cls || 'bar' }));
    g.appendChild(s('text', { x: labelW + w + 4, y: y + row / 2 + 4, class: 'chart-value' }, it.text || String(v)));
    svg.appendChild(g);
  });
  return svg;
}

// months: ['2026-01', …]; series: [{name, cls, values: [n…]}] → lines with dots.
export function lines(months, series, opts = {}) {
  const W = opts.width || WIDTH;
  const height = opts.height || 220;
  const left = 40;
  const bottom = 28;
  const top = 12;
  const right = 32;
  const max = Math.max(1, ...series.flatMap((x) => x.values.map((v) => Number(v) || 0)));
  const innerW = W - left - right;
  const innerH = height - top - bottom;
  const xAt = (i) => left + (months.length <= 1 ? innerW / 2 : (innerW * i) / (months.length - 1));
  const yAt = (v) => top + innerH - (innerH * (Number(v) || 0)) / max;
  const svg = s('svg', { class: 'chart chart-lines', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': opts.title || '', 'data-testid': opts.testid });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const y = yAt(v);
    svg.appendChild(s('line', { x1: left, x2: W - right, y1: y, y2: y, class: 'grid-line' }));
    svg.appendChild(s('text', { x: left - 4, y: y + 4, 'text-anchor': 'end', class: 'chart-axis' }, String(Math.round(v))));
  }
  const step = Math.ceil(months.length / 12);
  months.forEach((m, i) => {
    if (i % step === 0 || i === months.length - 1)
      svg.appendChild(s('text', { x: xAt(i), y: height - 8, 'text-anchor': 'middle', class: 'chart-axis' }, m));
  });
  for (const ser of series) {
    const pts = ser.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
    svg.appendChild(s('polyline', { points: pts, class: `series ${ser.cls}` }));
    ser.values.forEach((v, i) => {
      const c = s('circle', { cx: xAt(i).toFixed(1), cy: yAt(v).toFixed(1), r: 3, class: `dot ${ser.cls}` });
      c.appendChild(s('title', null, `${months[i]} ${ser.name}: ${v}`));
      svg.appendChild(c);
    });
  }
  const legend = h('div', { class: 'legend' }, series.map((ser) => h('span', { class: `legend-item ${ser.cls}` }, h('i', { class: 'swatch' }), ser.name)));
  return h('div', { class: 'chart-wrap' }, svg, legend);
}

function truncate(text, n) {
  const str = String(text);
  return str.length > n ? `${str.slice(0, n - 1)}…` : str;
}
