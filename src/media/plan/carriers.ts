/**
 * Which pictures of an H.264 video may carry hidden data in a copy of the
 * same format, and what each costs to reach. A carrier picture is rewritten
 * raw (I_PCM) with its reference fields as they were; that changes nothing
 * else only when no other picture refers to it: a picture with nal_ref_idc 0,
 * or the last picture before an IDR picture or the end of the stream (an IDR
 * picture empties the reference lists).
 *
 * To change a carrier, a hide decodes it from the IDR picture before it; on
 * the way only reference pictures are needed (nothing refers to the others),
 * so a candidate's cost is the reference pictures from that IDR up to it, plus
 * itself. The candidates are listed cheapest first (ties in decode order),
 * and the core's keyed choices keep to a prefix of that list
 * (src/core/sample-order.ts, `cheapest-first`): a hide decodes a little, and
 * the password still decides which pictures carry data.
 *
 * Everything here comes from the NAL unit headers of each sample, which a
 * carrier keeps as they were: the reveal lists the same candidates from the
 * stego file alone, without decoding anything.
 */

/** What the list needs of each picture (access unit), in decode order. */
export interface PictureHeaders {
  /** nal_ref_idc of the picture's slices (0: nothing refers to it). */
  readonly nalRefIdc: Uint8Array;
  /** 1 for an IDR picture. */
  readonly idr: Uint8Array;
}

/** The carrier candidates of a video, cheapest first. */
export interface CarrierList {
  /** Decode index of each candidate, in list order (the core's frame index is the position here). */
  readonly sample: Uint32Array;
  /** Pictures to decode to reach each candidate: reference pictures since its IDR picture, and itself. */
  readonly cost: Uint32Array;
  /** Decode index of the IDR picture each candidate is decoded from. */
  readonly idr: Uint32Array;
}

/** The carrier candidates of a stream of `pictures` (pictures before the first IDR picture cannot be reached and are left out). */
export function carrierCandidates(pictures: PictureHeaders): CarrierList {
  const n = pictures.nalRefIdc.length;
  if (pictures.idr.length !== n) throw new RangeError('one IDR flag per picture');
  const sample: number[] = [];
  const cost: number[] = [];
  const idr: number[] = [];
  let lastIdr = -1;
  let refsSince = 0;
  for (let i = 0; i < n; i++) {
    if (pictures.idr[i]) {
      lastIdr = i;
      refsSince = 0;
    }
    if (lastIdr < 0) continue;
    const unreferenced = pictures.nalRefIdc[i] === 0 || i === n - 1 || pictures.idr[i + 1] === 1;
    if (unreferenced) {
      sample.push(i);
      // The reference pictures before it since the IDR picture, and itself.
      cost.push(refsSince + 1);
      idr.push(lastIdr);
    }
    if (pictures.nalRefIdc[i] !== 0) refsSince++;
  }
  const order = sample.map((_, k) => k).sort((a, b) => cost[a] - cost[b] || sample[a] - sample[b]);
  return {
    sample: Uint32Array.from(order, (k) => sample[k]),
    cost: Uint32Array.from(order, (k) => cost[k]),
    idr: Uint32Array.from(order, (k) => idr[k]),
  };
}

/** One run of decoding: from an IDR picture, the pictures to feed, and the carriers among them. */
export interface DecodeRun {
  /** Decode indices to decode, ascending: the IDR picture, the reference pictures on the way, the carriers. */
  readonly feed: Uint32Array;
  /** Decode indices of the carriers this run reaches, ascending. */
  readonly carriers: Uint32Array;
}

/**
 * The decoding a hide needs for the carriers at list positions `chosen`: one
 * run per IDR picture, each fed only what its carriers need.
 */
export function decodeRuns(list: CarrierList, chosen: ArrayLike<number>, pictures: PictureHeaders): DecodeRun[] {
  const byIdr = new Map<number, number[]>();
  for (let k = 0; k < chosen.length; k++) {
    const v = chosen[k];
    if (!Number.isInteger(v) || v < 0 || v >= list.sample.length) throw new RangeError(`no carrier candidate ${v}`);
    const at = list.idr[v];
    const group = byIdr.get(at) ?? [];
    group.push(list.sample[v]);
    byIdr.set(at, group);
  }
  const runs: DecodeRun[] = [];
  for (const at of [...byIdr.keys()].sort((a, b) => a - b)) {
    const carriers = Uint32Array.from(new Set(byIdr.get(at)!)).sort();
    const last = carriers[carriers.length - 1];
    const feed: number[] = [];
    let c = 0;
    for (let i = at; i <= last; i++) {
      const isCarrier = carriers[c] === i;
      if (isCarrier) c++;
      if (i === at || pictures.nalRefIdc[i] !== 0 || isCarrier) feed.push(i);
    }
    runs.push({ feed: Uint32Array.from(feed), carriers });
  }
  return runs;
}

/**
 * Shares out the carriers (list positions) among at most `workers` workers:
 * a group of carriers decoded from the same IDR picture stays together, and
 * the dearest groups go first to whichever share is lightest.
 */
export function shareCarriers(carriers: ArrayLike<number>, scan: { readonly idr: ArrayLike<number>; readonly cost: ArrayLike<number> }, workers: number): number[][] {
  const groups = new Map<number, { carriers: number[]; cost: number }>();
  for (let k = 0; k < carriers.length; k++) {
    const v = carriers[k];
    const g = groups.get(scan.idr[v]) ?? { carriers: [], cost: 0 };
    g.carriers.push(v);
    g.cost = Math.max(g.cost, scan.cost[v]); // one run decodes up to the dearest carrier of its group
    groups.set(scan.idr[v], g);
  }
  const shares = Array.from({ length: Math.max(1, Math.min(workers, groups.size)) }, () => ({ carriers: [] as number[], cost: 0 }));
  for (const g of [...groups.values()].sort((a, b) => b.cost - a.cost)) {
    const lightest = shares.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.carriers.push(...g.carriers);
    lightest.cost += g.cost;
  }
  return shares.map((s) => s.carriers);
}
