// The counter page: sign-in, the top bar and left menu, and the hash router that
// loads each screen's module when it is first opened (the dashboard's charts are
// not part of the first load).

import { h, replace, clear } from './dom.js';
import { LANGUAGES, language, loadLanguage, pickLanguage, setLanguage, t } from './i18n.js';
import { ApiError, currentSession, onAuthLost, signIn, signOut } from './api.js';
import {
  app,
  canAudit,
  canIntake,
  canPiiLog,
  canReadCases,
  defaultRoute,
  departmentName,
  loadReference,
  roleLabel,
  setSession,
} from './state.js';
import { errorNode, message } from './widgets.js';

const SCREENS = {
  intake: { load: () => import('./screens/intake.js'), may: canIntake, nav: 'nav.intake' },
  queue: { load: () => import('./screens/queue.js'), may: canReadCases, nav: 'nav.queue' },
  case: { load: () => import('./screens/case.js'), may: canReadCases, nav: 'nav.case' },
  stats: { load: () => import('./screens/stats.js'), may: canReadCases, nav: 'nav.stats' },
  audit: { load: () => import('./screens/audit.js'), may: () => canAudit() || canPiiLog(), nav: 'nav.audit' },
};

const root = document.getElementById('app');
let view = null;
let cleanup = null;
let renderSeq = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  return { parts: path.split('/').filter(Boolean), params: new URLSearchParams(qs || '') };
}

// ---- sign-in ----

function signInForm(opts) {
  const name = h('input', {
    id: 'signin-name',
    type: 'text',
    autocomplete: 'username',
    required: true,
    'data-testid': 'signin-name',
    value: opts.name || '',
  });
  const password = h('input', {
    id: 'signin-password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'data-testid': 'signin-password',
  });
  const note = h('div', { class: 'signin-note', 'data-testid': 'signin-message', 'aria-live': 'polite' });
  if (opts.notice) note.appendChild(message('warn', opts.notice, 'signin-notice'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'signin-submit' }, t('signin.submit'));
  const form = h(
    'form',
    { class: 'signin', 'data-testid': 'signin-form', novalidate: true },
    h('h1', null, t('app.name')),
    h('p', { class: 'muted' }, t('signin.lead')),
    note,
    h('div', { class: 'field' }, h('label', { for: 'signin-name' }, t('signin.name')), name),
    h('div', { class: 'field' }, h('label', { for: 'signin-password' }, t('signin.password')), password),
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!name.value.trim() || !password.value) {
      replace(note, message('error', t('signin.missing'), 'signin-error'));
      return;
    }
    submit.disabled = true;
    try {
      const s = await signIn(name.value.trim(), password.value);
      password.value = '';
      await opts.done(s);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, null);
      replace(note, errorNode(err, 'signin-error'));
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  setTimeout(() => (opts.name ? password : name).focus(), 0);
  return form;
}

function showSignInPage(notice) {
  if (cleanup) cleanup();
  cleanup = null;
  view = null;
  replace(
    root,
    h('div', { class: 'signin-page' }, langSwitch(), signInForm({
      notice,
      done: async (s) => {
        setSession(s);
        await start();
      },
    })),
  );
}

// A 401 while working: sign in again over the current screen, which stays as it was.
let reauth = null;
function askSignInAgain(code) {
  if (reauth) return reauth;
  const before = app.session ? app.session.name : '';
  reauth = new Promise((resolve, reject) => {
    const dialog = h('dialog', { class: 'reauth', 'data-testid': 'reauth-dialog' });
    dialog.addEventListener('cancel', (ev) => ev.preventDefault());
    dialog.appendChild(
      signInForm({
        name: before,
        notice: t(code === 'session_expired' ? 'signin.expired' : 'signin.again'),
        done: async (s) => {
          dialog.close();
          dialog.remove();
          reauth = null;
          const changed = s.name !== before;
          setSession(s);
          if (changed) {
            reject(new ApiError(401, { error: { code: 'user_changed', message: '' } }));
            await start();
          } else {
            renderTopbar();
            resolve();
          }
        },
      }),
    );
    document.body.appendChild(dialog);
    dialog.showModal();
  });
  return reauth;
}

onAuthLost(askSignInAgain);

// ---- shell ----

function langSwitch() {
  const sel = h(
    'select',
    { class: 'lang', 'data-testid': 'lang-switch', 'aria-label': t('top.language') },
    LANGUAGES.map((l) => h('option', { value: l, selected: l === language() }, t(`lang.${l}`))),
  );
  sel.addEventListener('change', async () => {
    setLanguage(sel.value);
    await loadLanguage(sel.value);
    document.title = t('app.name');
    if (app.session) {
      renderShell();
      await route();
    } else {
      showSignInPage();
    }
  });
  return sel;
}

let topbar = null;
let nav = null;

function renderTopbar() {
  if (!topbar) return;
  const s = app.session;
  const county = app.ref && app.ref.county ? app.ref.county.name : '';
  const who = [roleLabel(s.role), s.department ? departmentName(s.department) : ''].filter(Boolean).join(' · ');
  replace(
    topbar,
    h('div', { class: 'brand', 'data-testid': 'brand' }, t('app.name'), county ? h('span', { class: 'county' }, ` · ${county}`) : null),
    h('div', { class: 'spacer' }),
    h('div', { class: 'user', 'data-testid': 'user' }, h('span', { class: 'user-name', 'data-testid': 'user-name' }, s.name),
      h('span', { class: 'user-role', 'data-testid': 'user-role', 'data-role': s.role }, who)),
    langSwitch(),
    h('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'signout', onclick: doSignOut }, t('top.signout')),
  );
}

function renderNav(active) {
  if (!nav) return;
  replace(
    nav,
    h('ul', null, Object.entries(SCREENS)
      .filter(([, sc]) => sc.may())
      .map(([id, sc]) => h('li', null, h('a', {
        href: `#/${id}`,
        class: id === active ? 'active' : undefined,
        'aria-current': id === active ? 'page' : undefined,
        'data-testid': `nav-${id}`,
      }, t(sc.nav))))),
  );
}

function renderShell() {
  topbar = h('header', { class: 'topbar', 'data-testid': 'topbar' });
  nav = h('nav', { class: 'sidenav', 'aria-label': t('nav.label') });
  view = h('main', { class: 'view', id: 'view', tabindex: '-1' });
  replace(root, topbar, h('div', { class: 'body' }, nav, view));
  renderTopbar();
}

async function doSignOut() {
  try {
    await signOut();
  } catch {
    /* the session is gone either way */
  }
  try {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith('yz.draft.')) sessionStorage.removeItem(k);
  } catch {
    /* nothing kept */
  }
  setSession(null);
  app.ref = null;
  history.replaceState(null, '', location.pathname);
  showSignInPage();
}

async function route() {
  if (!app.session || !view) return;
  const seq = ++renderSeq;
  const { parts, params } = parseHash();
  const id = parts[0];
  const screen = SCREENS[id];
  if (!screen) {
    const target = defaultRoute();
    if (id === 'denied' || target === location.hash) {
      renderNav('');
      replace(view, message('error', t('common.forbidden'), 'forbidden'));
    } else {
      location.replace(target);
    }
    return;
  }
  renderNav(id);
  if (cleanup) cleanup();
  cleanup = null;
  if (!screen.may()) {
    replace(view, message('error', t('common.forbidden'), 'forbidden'));
    return;
  }
  let mod;
  try {
    mod = await screen.load();
  } catch (e) {
    replace(view, message('error', t('err.network'), 'error'));
    return;
  }
  if (seq !== renderSeq) return;
  clear(view);
  const result = mod.render(view, { parts: parts.slice(1), params, rerender: route });
  cleanup = typeof result === 'function' ? result : null;
}

async function start() {
  try {
    await loadReference();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showSignInPage(t('signin.expired'));
      return;
    }
    app.ref = { divisions: [], grids: [], categories: [], departments: [], channels: [], ratings: [], statuses: [] };
  }
  renderShell();
  const { parts } = parseHash();
  const target = defaultRoute();
  if ((!SCREENS[parts[0]] || !SCREENS[parts[0]].may()) && target !== location.hash) {
    location.replace(target); // the hashchange renders it
    return;
  }
  await route();
}

window.addEventListener('hashchange', () => {
  route();
});

async function boot() {
  const lang = pickLanguage();
  try {
    await loadLanguage(lang);
  } catch {
    await loadLanguage('zh-CN');
  }
  document.title = t('app.name');
  try {
    setSession(await currentSession());
  } catch (e) {
    showSignInPage(e instanceof ApiError && e.code === 'session_expired' ? t('signin.expired') : undefined);
    return;
  }
  await start();
}

boot();
