import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFFmpegCore } from '../../../test-support/ffmpeg-node.ts';
import { DISCARD, KEY, adler32, parsePacketListing } from './packet-table.ts';
import { probePackets } from '../worker/ffmpeg/ffprobe.ts';
import { planSegments, segmentPackets } from './segments.ts';
import { FIXTURES } from '../../../test-support/paths.ts';


/** 120 frames, keyframes every 30, B-frames: decode order I P B B P B B … (closed groups). */
function closedGopCsv(): string {
  const lines: string[] = [];
  let pos = 1000;
  for (let gop = 0; gop < 4; gop++) {
    const base = gop * 30;
    const order = [0];
    for (let k = 1; k < 30; k += 3) order.push(...[k + 2, k, k + 1].filter((x) => x < 30));
    for (const k of order) {
      const size = 100 + k;
      lines.push(`${(base + k) * 512},${size},${pos},${k === 0 ? 'K_' : '__'},adler32:0000${(base + k).toString(16).padStart(4, '0')}`);
      pos += size + 7;
    }
  }
  return lines.join('\n') + '\n';
}

describe('packet table', () => {
  it('reads ffprobe packet lines in decode order', () => {
    const listing = parsePacketListing('0,stream line\n1024,5000,48,K_,adler32:46436dfd\n512,300,5048,_D,adler32:00000001\n');
    expect(listing.pts).toEqual([512, 1024]);
    expect(listing.keyframes).toEqual([1024]);
    const t = listing.table!;
    expect([...t.pts]).toEqual([1024, 512]);
    expect([...t.pos]).toEqual([48, 5048]);
    expect([...t.size]).toEqual([5000, 300]);
    expect([...t.adler]).toEqual([0x46436dfd, 1]);
    expect([...t.flags]).toEqual([KEY, DISCARD]);
  });

  it('gives no table when a packet has no timestamp or position', () => {
    const noPts = parsePacketListing('0,10,48,K_,adler32:00000000\nN/A,10,58,__,adler32:00000000\n');
    expect(noPts.table).toBeUndefined();
    expect(noPts.pts).toEqual([0]);
    expect(parsePacketListing('0,10,N/A,K_,adler32:00000000\n').table).toBeUndefined();
    // The short listing (timestamps and flags) gives times but no table.
    const short = parsePacketListing('2002,__\n0,K_\n1001,__\n');
    expect(short.pts).toEqual([0, 1001, 2002]);
    expect(short.keyframes).toEqual([0]);
    expect(short.table).toBeUndefined();
  });

  it('computes Adler-32 as the reference does', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
    expect(adler32(new Uint8Array(100_000).fill(255))).toBe(0x149a302c); // zlib.adler32(b'\xff' * 100000)
  });

  it('gives each segment exactly its own packets when groups of pictures are closed', () => {
    const packets = parsePacketListing(closedGopCsv());
    expect(packets.table?.pts.length).toBe(120);
    const segments = planSegments(packets, { num: 1, den: 15360 }, 0, 2);
    expect(segments).toHaveLength(2);
    let covered = 0;
    for (let i = 0; i < segments.length; i++) {
      const s = segmentPackets(packets.table!, segments, i, packets.pts)!;
      expect(s.pts.length).toBe(segments[i].frames);
      expect(s.flags[0] & KEY).toBe(KEY);
      expect([...s.framePts]).toEqual(packets.pts.slice(segments[i].firstFrame, segments[i].firstFrame + segments[i].frames));
      covered += s.pts.length;
    }
    expect(covered).toBe(120);
  });

  it('leaves a segment to FFmpeg when a frame of it sits past the next keyframe (open group) or is discarded', () => {
    // Move the last B-frame of the first group after the second keyframe in decode order.
    const lines = closedGopCsv().trim().split('\n');
    const lastOfFirst = lines.splice(29, 1)[0];
    lines.splice(30, 0, lastOfFirst);
    const open = parsePacketListing(lines.join('\n'));
    const segments = planSegments(open, { num: 1, den: 15360 }, 0, 4);
    expect(segments.length).toBeGreaterThan(1);
    expect(segmentPackets(open.table!, segments, 0, open.pts)).toBeUndefined();

    const discarded = parsePacketListing(closedGopCsv().replace(/^(\d+,\d+,\d+,)__/m, '$1_D'));
    const segs = planSegments(discarded, { num: 1, den: 15360 }, 0, 2);
    expect(segmentPackets(discarded.table!, segs, 0, discarded.pts)).toBeUndefined();
    expect(segmentPackets(discarded.table!, segs, 1, discarded.pts)).toBeDefined();
  });

  it('points at each packet’s bytes in an MP4, as the checksum FFmpeg took of them confirms', async () => {
    const core = await loadFFmpegCore();
    const bytes = readFileSync(join(FIXTURES, 'mdn_flower.mp4'));
    core.FS.writeFile('/in.mp4', bytes);
    const packets = probePackets(core, '/in.mp4');
    const t = packets.table!;
    expect(t.pts.length).toBe(packets.pts.length);
    expect(t.pts.length).toBeGreaterThan(100);
    for (let i = 0; i < t.pts.length; i++) {
      expect(adler32(bytes.subarray(t.pos[i], t.pos[i] + t.size[i]))).toBe(t.adler[i]);
    }
    // A damaged byte does not pass.
    const copy = bytes.slice(t.pos[5], t.pos[5] + t.size[5]);
    copy[copy.length >> 1] ^= 1;
    expect(adler32(copy)).not.toBe(t.adler[5]);
  });
});
