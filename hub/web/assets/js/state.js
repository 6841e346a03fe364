// What the page knows about the signed-in user and the county (GET /api/v1/reference),
// the role rules it mirrors (the server enforces them anyway), labels for data values
// and form drafts kept in sessionStorage.

import { get } from './api.js';
import { label, language, t } from './i18n.js';

export const app = { session: null, ref: null };

export function setSession(s) {
  app.session = s;
}

// ---- roles (docs/configuration.md "Roles and tokens") ----

const role = () => (app.session ? app.session.role : '');
export const isCounter = () => !!(app.session && (app.session.counter || role() === 'admin'));
export const canIntake = () => isCounter();
export const canReadCases = () => ['admin', 'operator', 'auditor'].includes(role());
export const canAudit = () => ['admin', 'auditor'].includes(role());
export const canPiiLog = () => ['admin', 'auditor', 'security_admin'].includes(role());
export const canAct = () => ['admin', 'operator'].includes(role());
export const canJoin = () => canAct() && isCounter();
export const canSeeClear = () => canAct();
export const myDepartment = () => (app.session && app.session.department) || '';

// The actions a department's operator may take on cases that concern it.
export const DEPARTMENT_ACTIONS = ['accept', 'return', 'reply', 'suspend', 'resume', 'extend'];

function concernsMine(c) {
  const mine = myDepartment();
  if (!mine) return false;
  if ((c.obligations || []).some((o) => o.department === mine)) return true;
  return (c.events || []).some((e) => {
    const d = e.data && e.data.departments;
    return (e.type === 'routed' || e.type === 'reassigned') && Array.isArray(d) && d.includes(mine);
  });
}

export function mayDo(action, c) {
  if (!canAct()) return false;
  if (isCounter()) return true;
  return DEPARTMENT_ACTIONS.includes(action) && concernsMine(c);
}

export function mayActOnCase(c) {
  return canAct() && (isCounter() || concernsMine(c));
}

export function defaultRoute() {
  if (canIntake()) return '#/intake';
  if (canReadCases()) return '#/queue';
  if (canPiiLog()) return '#/audit';
  return '#/denied';
}

// ---- reference data ----

const idx = { divisions: new Map(), children: new Map(), grids: new Map(), categories: new Map(), departments: new Map() };

export async function loadReference() {
  const ref = await get('/api/v1/reference');
  app.ref = ref;
  for (const m of Object.values(idx)) m.clear();
  for (const d of ref.divisions || []) {
    idx.divisions.set(d.code, d);
    const p = d.parent || '';
    if (!idx.children.has(p)) idx.children.set(p, []);
    idx.children.get(p).push(d);
  }
  for (const g of ref.grids || []) {
    if (!idx.grids.has(g.village)) idx.grids.set(g.village, []);
    idx.grids.get(g.village).push(g);
  }
  for (const c of ref.categories || []) idx.categories.set(c.id, c);
  for (const d of ref.departments || []) idx.departments.set(d.id, d);
  return ref;
}

export function countyCode() {
  return (app.ref && app.ref.county && app.ref.county.code) || '';
}

export function towns() {
  const county = countyCode();
  const all = app.ref ? app.ref.divisions || [] : [];
  const direct = idx.children.get(county);
  return direct && direct.length ? direct : all.filter((d) => d.level === 'town');
}

export const villages = (town) => idx.children.get(town) || [];
export const grids = (village) => idx.grids.get(village) || [];
export const categoryClasses = () => (app.ref ? (app.ref.categories || []).filter((c) => !c.parent) : []);
export const subtypes = (cls) => (app.ref ? (app.ref.categories || []).filter((c) => c.parent === cls) : []);
export const departments = () => (app.ref ? app.ref.departments || [] : []);
export const division = (code) => idx.divisions.get(code) || null;

export function divisionName(code) {
  const d = idx.divisions.get(code);
  return d ? d.name : code || '';
}

// "岚漪镇 · 东街村" for a village code; the county itself is left out.
export function placePath(code) {
  const names = [];
  let d = idx.divisions.get(code);
  const county = countyCode();
  for (let guard = 0; d && d.code !== county && guard < 6; guard++) {
    names.unshift(d.name);
    d = d.parent ? idx.divisions.get(d.parent) : null;
  }
  return names.length ? names.join(' · ') : code || '';
}

export function categoryLabel(id) {
  const c = idx.categories.get(id);
  return c ? c.label : id || '';
}

// A source system's name as the county's config gives it (web.system_labels, in the
// reference data), in the page's language; else its id. The page names no system itself.
export function systemLabel(id) {
  if (!id) return '';
  const labels = (app.ref && app.ref.system_labels && app.ref.system_labels[id]) || {};
  return labels[language()] || labels['zh-CN'] || Object.values(labels)[0] || String(id);
}

export function departmentName(id, long) {
  if (!id) return '';
  const d = idx.departments.get(id);
  if (d) return (long ? d.name : d.short || d.name) || id;
  const m = /^(?:town|village)-(\d+)$/.exec(id);
  if (m && idx.divisions.has(m[1])) return divisionName(m[1]);
  return id;
}

export function statusLabel(id, fallback) {
  let refLabel;
  if (app.ref) {
    const s = (app.ref.statuses || []).find((x) => x.id === id);
    refLabel = s && s.label;
  }
  return label('status', id, fallback || refLabel);
}

export const levelLabel = (id) => (id ? label('level', id) : t('level.none'));
export const dutyLabel = (id) => label('duty', id);
export const channelLabel = (id) => label('channel', id);
export const eventLabel = (id) => label('event', id);
export const ratingLabel = (id) => label('rating', id);
export const roleLabel = (id) => label('role', id);

// ---- drafts: what a form holds, kept across re-renders, sign-ins and reloads ----

export function loadDraft(key) {
  try {
    const raw = sessionStorage.getItem(`yz.draft.${key}`);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function saveDraft(key, value) {
  try {
    sessionStorage.setItem(`yz.draft.${key}`, JSON.stringify(value));
  } catch {
    /* storage full or off: the draft lives in the form only */
  }
}

export function dropDraft(key) {
  try {
    sessionStorage.removeItem(`yz.draft.${key}`);
  } catch {
    /* nothing kept */
  }
}
