// Makes a screenshot smaller: chromium's 24-bit PNG of a page, re-encoded with a
// palette of its 256 most used colours (a page is mostly flat colours; the few other
// pixels, the edges of letters, take the nearest palette colour). node:zlib only.

import zlib from 'node:zlib';

function chunks(png) {
  const out = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off);
    out.push({ type: png.toString('latin1', off + 4, off + 8), data: png.subarray(off + 8, off + 8 + len) });
    off += 12 + len;
  }
  return out;
}

// 8-bit RGB or RGBA, not interlaced → {w, h, px: RGB bytes}
function decode(png) {
  const all = chunks(png);
  const ihdr = all.find((c) => c.type === 'IHDR').data;
  const w = ihdr.readUInt32BE(0);
  const h = ihdr.readUInt32BE(4);
  const type = ihdr[9];
  if (ihdr[8] !== 8 || (type !== 2 && type !== 6) || ihdr[12] !== 0) return null;
  const bpp = type === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(all.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = w * bpp;
  const cur = Buffer.alloc(stride);
  let prev = Buffer.alloc(stride);
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v = src[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = v & 255;
    }
    for (let x = 0; x < w; x++) cur.copy(px, (y * w + x) * 3, x * bpp, x * bpp + 3);
    prev = Buffer.from(cur);
  }
  return { w, h, px };
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  let c = -1;
  for (const byte of Buffer.concat([head.subarray(4), data])) c = CRC[(c ^ byte) & 255] ^ (c >>> 8);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ -1) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

// png (Buffer) → a smaller palette PNG, or the input when it is not 8-bit RGB(A).
export function palettize(png) {
  const img = decode(png);
  if (!img) return png;
  const { w, h, px } = img;
  const count = new Map();
  for (let i = 0; i < px.length; i += 3) {
    const k = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
    count.set(k, (count.get(k) || 0) + 1);
  }
  const palette = [...count.entries()].sort((a, b) => b[1] - a[1]).slice(0, 256).map(([k]) => k);
  const index = new Map(palette.map((k, i) => [k, i]));
  const nearest = (k) => {
    let best = 0;
    let bestD = Infinity;
    const r = k >> 16;
    const g = (k >> 8) & 255;
    const b = k & 255;
    for (let i = 0; i < palette.length; i++) {
      const p = palette[i];
      const d = 3 * (r - (p >> 16)) ** 2 + 4 * (g - ((p >> 8) & 255)) ** 2 + 2 * (b - (p & 255)) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    }
    index.set(k, best);
    return best;
  };
  const rows = Buffer.alloc(h * (w + 1)); // filter 0 (none) per row: best for palette data
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const k = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
      rows[y * (w + 1) + 1 + x] = index.has(k) ? index.get(k) : nearest(k);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 3; // indexed colour
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((k, i) => plte.writeUIntBE(k, i * 3, 3));
  const out = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return out.length < png.length ? out : png;
}
