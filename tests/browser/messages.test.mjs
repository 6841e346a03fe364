// The page's two message tables (hub/web/assets/messages) have the same keys, and each
// text names the same {placeholders} in both languages.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messages } from './lib/harness.mjs';

const placeholders = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message tables', () => {
  it('zh-CN.json and en.json have the same keys', async () => {
    const zh = await messages('zh-CN');
    const en = await messages('en');
    const onlyZh = Object.keys(zh).filter((k) => !(k in en));
    const onlyEn = Object.keys(en).filter((k) => !(k in zh));
    assert.deepEqual({ onlyZh, onlyEn }, { onlyZh: [], onlyEn: [] });
    assert.ok(Object.keys(zh).length > 100, 'the tables are not empty');
  });

  it('every text has the same placeholders in both, and none is empty', async () => {
    const zh = await messages('zh-CN');
    const en = await messages('en');
    const differ = Object.keys(zh).filter((k) => k in en && placeholders(zh[k]).join() !== placeholders(en[k]).join());
    assert.deepEqual(differ, []);
    const empty = [...Object.entries(zh), ...Object.entries(en)].filter(([, v]) => typeof v !== 'string' || !v.trim()).map(([k]) => k);
    assert.deepEqual(empty, []);
  });
});
