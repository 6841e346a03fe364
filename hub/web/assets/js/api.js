// The HTTP API (docs/web-api.md): JSON in and out, the session cookie sent by the
// browser, X-CSRF-Token on every non-GET. A 401 during work asks the page to sign in
// again (onAuthLost) and then repeats the request, so nothing typed is lost.

const CSRF_KEY = 'yz.csrf';

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || (status === 0 ? 'network' : `http_${status}`);
    this.detail = err.message || '';
    this.fields = Array.isArray(err.fields) ? err.fields : [];
    this.allowed = Array.isArray(err.allowed) ? err.allowed : null;
    this.body = body;
  }
}

let csrf = null;
try {
  csrf = sessionStorage.getItem(CSRF_KEY);
} catch {
  csrf = null;
}

export function setCsrf(token) {
  csrf = token || null;
  try {
    if (csrf) sessionStorage.setItem(CSRF_KEY, csrf);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    /* kept in memory only */
  }
}

// Set by main.js: returns a promise that settles once the user signed in again
// (resolve: repeat the request) or gave up (reject).
let authLost = null;
export function onAuthLost(fn) {
  authLost = fn;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

async function once(method, path, opts) {
  const headers = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  Object.assign(headers, opts.headers || {});
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
  } catch {
    throw new ApiError(0, null);
  }
  let body = null;
  if (res.status !== 204) {
    const type = res.headers.get('content-type') || '';
    if (type.includes('json')) {
      try {
        body = await res.json();
      } catch {
        body = null;
      }
    }
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return { status: res.status, body };
}

// request('POST', '/api/v1/cases', {body, headers}) → {status, body}
export async function request(method, path, opts = {}) {
  let csrfRetried = false;
  for (;;) {
    try {
      return await once(method, path, opts);
    } catch (e) {
      if (!(e instanceof ApiError) || opts.noReauth) throw e;
      if (e.status === 401 && authLost && (e.code === 'session_expired' || e.code === 'unauthorized')) {
        await authLost(e.code); // rejects when the user does not sign in again
        continue;
      }
      if (e.status === 403 && e.code === 'csrf' && !csrfRetried) {
        // The token was lost (another tab signed in again): fetch this session's.
        csrfRetried = true;
        const s = await once('GET', '/api/v1/session', {});
        setCsrf(s.body && s.body.csrf_token);
        continue;
      }
      throw e;
    }
  }
}

export const get = (path, params, opts) => request('GET', path + query(params), opts).then((r) => r.body);
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body }).then((r) => r.body);

export function signIn(name, password) {
  return request('POST', '/api/v1/session', { body: { name, password }, noReauth: true }).then((r) => {
    setCsrf(r.body.csrf_token);
    return r.body;
  });
}

export function currentSession() {
  return request('GET', '/api/v1/session', { noReauth: true }).then((r) => {
    setCsrf(r.body.csrf_token);
    return r.body;
  });
}

export function signOut() {
  return request('DELETE', '/api/v1/session', { noReauth: true }).finally(() => setCsrf(null));
}

// An Idempotency-Key for one form: crypto.randomUUID where the page is a secure
// context, random bytes otherwise (a county LAN over plain http).
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
