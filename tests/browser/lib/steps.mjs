// Small helpers for the tests: ordered steps that stop at the first failure, and
// waiting on what the page shows (playwright-core has no `expect`).

import { it } from 'node:test';
import { eventually } from './harness.mjs';

// it() for the steps of one story: once a step fails, the later ones are skipped (they
// would only fail for the same reason).
export function storySteps() {
  let broken = null;
  return (name, fn) =>
    it(name, async (t) => {
      if (broken) {
        t.skip(`an earlier step failed: ${broken}`);
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        broken = name;
        throw e;
      }
    });
}

// Waits until the locator's text includes `text` (or matches a RegExp); returns it.
export async function waitText(locator, text, timeoutMs = 20000) {
  let last = '';
  await eventually(`${locator} to show ${text}`, async () => {
    last = (await locator.count()) ? await locator.first().innerText() : '';
    return typeof text === 'string' ? last.includes(text) : text.test(last);
  }, timeoutMs).catch((e) => {
    e.message += `\nit shows: ${JSON.stringify(last.slice(0, 500))}`;
    throw e;
  });
  return last;
}

// The attribute values of every element matching the locator.
export function attrs(locator, name) {
  return locator.evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);
}

// Registers a land-boundary matter in 东街村 through the API, as the counter's form does
// (`fields` override the body's); the POST /api/v1/cases answer's body.
export async function registerByApi(hub, key, fields) {
  const r = await hub.api('POST', '/api/v1/cases', {
    headers: { 'Idempotency-Key': key },
    body: {
      division_code: '140929100200', grid_id: '140929100200-01', category: '矛盾纠纷/土地', channel: '窗口', ...fields,
    },
  });
  if (r.status !== 201) throw new Error(`POST /api/v1/cases answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}
