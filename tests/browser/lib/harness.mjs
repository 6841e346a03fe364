// The browser tests' world: real processes on loopback with free ports in a temp dir —
// sim-hotline12345 (fed the test's shared matters), `yizhan serve` on embedded SQLite
// with a config derived from config/demo.yaml, accounts made with `yizhan account add`
// (password on stdin), an admin token from `yizhan token create` — and Debian's
// chromium driven by playwright-core.
//
// Environment: YIZHAN_BIN_DIR (yizhan and sim-*; default build/debug/bin),
// YIZHAN_SOURCE_DIR (the repository; default two folders up), YIZHAN_CHROMIUM
// (default /usr/bin/chromium), YIZHAN_BROWSER_KEEP=1 keeps the temp dir.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const sourceDir = resolve(process.env.YIZHAN_SOURCE_DIR || join(here, '..', '..', '..'));
export const binDir = resolve(process.env.YIZHAN_BIN_DIR || join(sourceDir, 'build', 'debug', 'bin'));
export const chromiumPath = process.env.YIZHAN_CHROMIUM || '/usr/bin/chromium';

// ---------------------------------------------------------------- waiting

// Polls fn until it returns a truthy value (which is returned); throws with what it
// was waiting for after timeoutMs. For conditions only: never a fixed pause.
export async function eventually(what, fn, timeoutMs = 30000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ---------------------------------------------------------------- processes

class Child {
  constructor(name, cmd, args, { dir, input, env } = {}) {
    this.name = name;
    this.log = join(dir, `${name}.log`);
    this.lines = [];
    this.waiters = [];
    this.exited = null;
    this.proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.exitPromise = new Promise((res) => {
      this.proc.on('exit', (code, signal) => {
        this.exited = { code, signal };
        for (const w of this.waiters) w.reject(new Error(`${name} exited (${code ?? signal}) before printing ${w.what}; see ${this.log}`));
        this.waiters = [];
        res(this.exited);
      });
    });
    this.proc.on('error', (e) => {
      for (const w of this.waiters) w.reject(e);
      this.waiters = [];
    });
    const logFile = open(this.log, 'w');
    this.logReady = logFile.then((fh) => {
      this.proc.stderr.on('data', (d) => fh.write(d));
      this.exitPromise.then(() => fh.close().catch(() => {}));
      return fh;
    });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const w of [...this.waiters]) {
        const m = w.re.exec(line);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    if (input !== undefined) this.proc.stdin.end(input);
    else this.proc.stdin.end();
  }

  // The first stdout line matching re (its match), waiting up to timeoutMs.
  waitForLine(re, timeoutMs = 60000) {
    for (const l of this.lines) {
      const m = re.exec(l);
      if (m) return Promise.resolve(m);
    }
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited; see ${this.log}`));
    return new Promise((resolve, reject) => {
      const w = { re, what: String(re), resolve, reject };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`${this.name} did not print ${re} within ${timeoutMs} ms; see ${this.log}`));
      }, timeoutMs);
      w.resolve = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      w.reject = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.waiters.push(w);
    });
  }

  // SIGTERM, then SIGKILL after 15 s; resolves with the exit status.
  async stop() {
    if (this.exited) return this.exited;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15000);
    const r = await this.exitPromise;
    clearTimeout(timer);
    return r;
  }

  async tail(n = 30) {
    try {
      const text = await readFile(this.log, 'utf8');
      return text.split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  }
}

// Runs a program to its end: {code, stdout, stderr}.
export function run(cmd, args, { input, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    p.stdin.end(input === undefined ? '' : input);
  });
}

// ---------------------------------------------------------------- the hub config

// config/demo.yaml with the simulator's address and the config folder put in, only the
// plugins and instances of `systems`, a relative plugin_dir made absolute, and extra
// top-level sections appended (the demo's own derivation, scripts/demo, does the same).
export async function deriveConfig({ placeholders, systems, extra }) {
  const template = await readFile(join(sourceDir, 'config', 'demo.yaml'), 'utf8');
  let text = template;
  for (const [k, v] of Object.entries(placeholders)) text = text.split('${' + k + '}').join(v);
  const out = [];
  let section = '';
  let item = null; // {lines, plugin}
  const flush = () => {
    if (item && (item.plugin === '' || systems.includes(item.plugin))) out.push(...item.lines);
    item = null;
  };
  for (const line of text.split('\n')) {
    if (/^[^\s#]/.test(line)) {
      flush();
      section = line.split(/\s/)[0];
    }
    if ((section === 'plugins:' || section === 'instances:') && /^ {2}- name:/.test(line)) {
      flush();
      item = { lines: [], plugin: section === 'plugins:' ? line.trim().split(/\s+/)[2] : '' };
    }
    if (item && section === 'instances:' && /^ {4}plugin:/.test(line)) item.plugin = line.trim().split(/\s+/)[1];
    if (item && /^ {2}/.test(line)) {
      item.lines.push(line);
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  const left = out.join('\n').replace(/#.*$/gm, '').match(/\$\{[A-Z0-9_]+\}/g);
  if (left) throw new Error(`placeholders left in the derived config: ${[...new Set(left)].join(' ')}`);
  return `${out.join('\n')}\n\n# the browser tests' additions\n${extra}\n`;
}

// ---------------------------------------------------------------- the hub

export const ACCOUNTS = {
  counter: { name: 'counter.li@shgzb', role: 'operator', department: 'shgzb' },
  handler: { name: 'handler.zhao@zrzyj', role: 'operator', department: 'zrzyj' },
  auditor: { name: 'auditor.sun', role: 'auditor' },
  admin: { name: 'demo-admin', role: 'admin' },
};

// Starts sim-hotline12345 with `matters` (shared-matters objects) and `records` work
// orders of its own, frozen (no faults, no malformed records, no status changes), then
// the hub on it with the given clock start; waits until every work order is a case.
export async function startHub({ name = 'hub', matters = [], records = 20, seed = 11, clockStart, idleMinutes = 30 } = {}) {
  for (const bin of ['yizhan', 'sim-hotline12345'])
    if (!existsSync(join(binDir, bin))) throw new Error(`${join(binDir, bin)} is missing: build the debug preset (or set YIZHAN_BIN_DIR)`);
  const dir = await mkdtemp(join(tmpdir(), `yizhan-browser-${name}-`));
  const data = join(dir, 'data');
  await mkdir(data);
  const children = [];
  const hub = { dir, data, children, accounts: {}, tokens: {} };
  try {
    const mattersFile = join(dir, 'shared-hotline12345.jsonl');
    await writeFile(mattersFile, matters.map((m) => JSON.stringify(m)).join('\n') + (matters.length ? '\n' : ''));
    const sim = new Child('sim-hotline12345', join(binDir, 'sim-hotline12345'), [
      '--port', '0', '--records', String(records), '--seed', String(seed), '--shared-matters', mattersFile,
      '--truth-out', join(dir, 'truth-hotline12345.json'), '--fault-rate', '0', '--feedback-fault-rate', '0',
      '--malformed-rate', '0', '--resend-rate', '0', '--update-ticks', '0',
    ], { dir });
    children.push(sim);
    const [, simHost, simPort] = await sim.waitForLine(/^listening on ([0-9.]+):([0-9]+)$/, 30000);
    hub.simUrl = `http://${simHost}:${simPort}`;

    const extra = [
      'web:',
      `  idle_timeout_minutes: ${idleMinutes}`,
      ...(clockStart ? ['clock:', `  start: "${clockStart}"`, '  adjustable: true'] : []),
    ].join('\n');
    hub.config = join(dir, 'hub.yaml');
    await writeFile(hub.config, await deriveConfig({
      placeholders: { HOTLINE12345_URL: hub.simUrl, CONFIG_DIR: join(sourceDir, 'config') },
      systems: ['hotline12345'],
      extra,
    }));
    const yz = join(binDir, 'yizhan');
    const common = ['--config', hub.config, '--data-dir', data];
    for (const [key, a] of Object.entries(ACCOUNTS)) {
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      const r = await run(yz, ['account', 'add', ...common, '--name', a.name, '--role', a.role, ...(a.department ? ['--department', a.department] : [])],
        { input: `${password}\n` });
      if (r.code !== 0) throw new Error(`yizhan account add ${a.name} failed (${r.code}): ${r.stderr}${r.stdout}`);
      hub.accounts[key] = { ...a, password };
    }
    const tok = await run(yz, ['token', 'create', ...common, '--name', 'browser-tests-admin', '--role', 'admin']);
    if (tok.code !== 0) throw new Error(`yizhan token create failed (${tok.code}): ${tok.stderr}`);
    hub.tokens.admin = tok.stdout.trim().split('\n').pop().trim();

    const serve = new Child('yizhan', yz, ['serve', ...common, '--port', '0'], { dir });
    children.push(serve);
    hub.serve = serve;
    const [, host, port] = await serve.waitForLine(/^listening on ([0-9.]+):([0-9]+)$/, 90000);
    hub.base = `http://${host}:${port}`;
    hub.api = (method, path, opts = {}) => api(hub.base, method, path, { token: hub.tokens.admin, ...opts });
    await eventually('GET /healthz to answer 200', async () => (await fetch(`${hub.base}/healthz`)).status === 200, 60000);

    // Ingest settles: the hub holds every distinct valid work order of the simulator.
    const want = (await (await fetch(`${hub.simUrl}/__sim/stats`)).json()).distinct_valid_work_orders;
    await eventually(`the hub to hold all ${want} 12345 work orders`, async () => {
      const s = await hub.api('GET', '/api/v1/stats');
      return s.status === 200 && (s.body.by_system || {}).hotline12345 === want;
    }, 120000, 200);
    hub.stop = async () => {
      const results = [];
      for (const c of [...children].reverse()) results.push([c.name, await c.stop()]);
      if (!process.env.YIZHAN_BROWSER_KEEP) await rm(dir, { recursive: true, force: true });
      return results;
    };
    return hub;
  } catch (e) {
    const tails = [];
    for (const c of children) tails.push(`--- ${c.name} (${c.log}):\n${await c.tail()}`);
    for (const c of children) await c.stop();
    e.message += `\n${tails.join('\n')}`;
    if (!process.env.YIZHAN_BROWSER_KEEP) await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

// One HTTP call: {status, headers, body (JSON when it is), text}.
export async function api(base, method, path, { token, body, headers = {}, cookie } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (cookie) h.Cookie = cookie;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, body: json, text };
}

// ---------------------------------------------------------------- the browser

let pw = null;
async function playwright() {
  if (!pw) {
    try {
      pw = await import('playwright-core');
    } catch (e) {
      throw new Error(`playwright-core is not installed: run \`npm ci --prefix tests/browser\` (${e.message})`);
    }
  }
  return pw;
}

// Debian's chromium, headless. Playwright gives each launch a fresh profile of its own
// (--user-data-dir in a new temp folder, removed on close): it refuses the flag in args.
export async function launchBrowser() {
  const { chromium } = await playwright();
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new browser context (its own cookies and storage) at 1366×768 in `locale`, with a
// page that records dialogs and uncaught page errors.
export async function newPage(browser, { locale = 'zh-CN' } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale,
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  page.dialogs = [];
  page.errors = [];
  page.on('dialog', (d) => {
    page.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

export const tid = (page, id) => page.getByTestId(id);

// Signs in on the page's sign-in form and waits for the shell.
export async function signIn(page, hub, account) {
  await page.goto(`${hub.base}/`);
  await tid(page, 'signin-name').fill(account.name);
  await tid(page, 'signin-password').fill(account.password);
  await tid(page, 'signin-submit').click();
  await tid(page, 'user-name').filter({ hasText: account.name }).waitFor();
}

// Chooses an <option> by its visible text (exact).
export async function choose(locator, text) {
  await locator.selectOption({ label: text });
}

export async function messages(lang) {
  return JSON.parse(await readFile(join(sourceDir, 'hub', 'web', 'assets', 'messages', `${lang}.json`), 'utf8'));
}
