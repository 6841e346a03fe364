// What the tests feed the 12345 simulator (docs/simulators.md "Shared matters") and
// what the counter operator types for the same matter.

// GB 11643: the 18th character of a citizen ID number.
export function idCheckDigit(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return '10X98765432'[sum % 11];
}
export const validId = (first17) => first17 + idCheckDigit(first17);
// The same number with a wrong check digit.
export function badCheckId(first17) {
  const good = idCheckDigit(first17);
  return first17 + (good === '0' ? '1' : '0');
}

// The hub clock of the tests' hubs: the simulator's book ends on 2026-03-01 08:00
// Beijing time (its clock start), so the counter registers a matter the next morning.
export const CLOCK_START = '2026-03-01T09:30:00+08:00';

export const PLACE = {
  town: '岚漪镇', townCode: '140929100',
  village: '东街村委会', villageCode: '140929100200',
  grid: '140929100200-02',
};

// The walk-in: 王建国 at the counter about his contracted land's boundary.
export const WALK_IN = {
  name: '王建国',
  phone: '13935071234',
  id: validId('14092919750312003'),
  address: '东街村三组',
  category: '矛盾纠纷', subtype: '土地纠纷',
  channel: '窗口',
  title: '承包地界址纠纷',
  description: '村民王建国称邻居李某把界石往他家地里挪了两米，在争议地块上种了玉米，要求重新勘定界址。',
};

// The same matter as 12345 took it the afternoon before: the same phone and village,
// worded differently. The linker's score (hub/src/link/similarity.hpp): text ≈ 0.14 ×
// 0.45 + same phone 0.25 + same village 0.8 × 0.15 (12345 records carry no grid) +
// time ≈ 0.98 × 0.10 + same category 0.05 ≈ 0.58: above linking.propose_score 0.5,
// below auto_join_score 0.75, so it is proposed, not joined.
export const LAND_12345 = {
  key: 'BT-LAND',
  title: '土地边界争议',
  description: '东街村村民王先生来电，与同组村民李某因承包地边界发生争执，李某越界耕种，村委会调解未果，请求尽快处理。',
  category: '矛盾纠纷/土地',
  division_code: PLACE.villageCode,
  grid_id: PLACE.grid,
  address: '岢岚县岚漪镇东街村三组',
  reporter: { name: '王先生', phone: WALK_IN.phone, id_number: '' },
  at: '2026-02-28T15:00:00+08:00',
};

// A record whose text is markup: it must show as text (no "，" in the description, so
// the simulator serves it whole after its "来电人反映：").
export const MARKUP_TITLE = '<img src=x onerror=alert(1)>路灯不亮';
export const MARKUP_DESCRIPTION = '<script>alert("xss")</script>西街路灯坏了<b id="injected">三盏</b>夜里看不见路';
export const MARKUP_12345 = {
  key: 'BT-MARKUP',
  title: MARKUP_TITLE,
  description: MARKUP_DESCRIPTION,
  category: '公共服务',
  division_code: '140929100201',
  grid_id: '140929100201-01',
  address: '岢岚县岚漪镇西街村',
  reporter: { name: '赵女士', phone: '13800001111', id_number: '' },
  at: '2026-02-27T20:00:00+08:00',
};
