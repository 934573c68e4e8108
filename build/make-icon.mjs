#!/usr/bin/env node
/**
 * Writes build/icon.png (512×512 RGBA): a flat rounded square with a "K" made of a bar and two
 * strokes, anti-aliased by 4×4 supersampling. Only Node built-ins (zlib) are used, so the icon
 * can be regenerated anywhere: `node build/make-icon.mjs`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const BG = [0x1d, 0x4e, 0x89]; // deep municipal blue
const FG = [0xff, 0xff, 0xff];
const RADIUS = 96; // corner radius of the square
const MARGIN = 16; // transparent border, as the platforms expect

/** Coverage of the rounded square at (x, y). */
function inSquare(x, y) {
  const lo = MARGIN, hi = SIZE - MARGIN;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = Math.min(Math.max(x, lo + RADIUS), hi - RADIUS);
  const cy = Math.min(Math.max(y, lo + RADIUS), hi - RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

/** Distance from (px, py) to segment (ax, ay)-(bx, by). */
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The glyph: an upright bar (a rectangle) and two square-ended strokes meeting it. */
function inGlyph(x, y) {
  if (x >= 150 && x <= 212 && y >= 120 && y <= 392) return true; // stem
  const half = 30;
  const stroke = (ax, ay, bx, by) => {
    // A rotated rectangle: within half-width of the segment and between its end caps.
    const dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy);
    const t = ((x - ax) * dx + (y - ay) * dy) / len;
    return t >= 0 && t <= len && segDist(x, y, ax, ay, bx, by) <= half;
  };
  return stroke(200, 282, 360, 122) || stroke(214, 250, 356, 392);
}

const SS = 4;
const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let sq = 0, gl = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const px = x + (sx + 0.5) / SS, py = y + (sy + 0.5) / SS;
        if (inSquare(px, py)) {
          sq++;
          if (inGlyph(px, py)) gl++;
        }
      }
    }
    const o = row + 1 + x * 4;
    const a = sq / (SS * SS);
    const g = sq === 0 ? 0 : gl / sq;
    for (let c = 0; c < 3; c++) raw[o + c] = Math.round(BG[c] * (1 - g) + FG[c] * g);
    raw[o + 3] = Math.round(a * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${path.relative(process.cwd(), out)} (${SIZE}×${SIZE}, ${png.length} bytes)`);
