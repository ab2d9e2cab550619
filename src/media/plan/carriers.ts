/**
 * Which pictures of an H.264 video may carry hidden data in a copy of the
 * same format, listed so that a hide decodes little and a reveal reads
 * little. A carrier picture is rewritten raw (I_PCM) with its reference
 * fields as they were; that changes nothing else only when no other picture
 * refers to it: a picture with nal_ref_idc 0, or the last picture before an
 * IDR picture or the end of the stream (an IDR picture empties the reference
 * lists).
 *
 * The list goes group of pictures by group of pictures, from the start (each
 * group from a sync sample, an IDR picture, to the next), in two rounds:
 * - first, each group's pictures with nal_ref_idc 0 among the first
 *   {@link CARRIER_WINDOW} after its IDR picture, in decode order: cheap to
 *   reach, since only the reference pictures before them must be decoded; a
 *   group with none there (a stream without B-frames) offers its last picture
 *   instead, when an IDR picture or the end of the stream follows it;
 * - then, once every group has been through the first round (a video with
 *   few, long groups), each group's other unreferenced pictures, in decode
 *   order;
 * - a group whose first picture is not an IDR picture (an open group) offers
 *   nothing: nothing can be decoded from its start alone.
 *
 * The core's keyed choices keep to a prefix of the list
 * (src/core/sample-order.ts, CandidateFrames), so finding the locator reads
 * the headers of a few groups, and a hide or reveal reads as many more as its
 * payload needs: the video's length does not matter. Everything comes from
 * the sample tables' sync samples and the NAL unit headers of the samples
 * looked at, which a carrier keeps as they were: the reveal lists the same
 * candidates from the stego file alone.
 */

/** Pictures after an IDR picture among which a group's cheap carrier candidates are sought. */
export const CARRIER_WINDOW = 8;

/** What the list needs of a picture: the first slice's NAL unit header. */
export interface PictureHeader {
  /** 0 when no other picture may refer to it. */
  readonly nalRefIdc: number;
  readonly idr: boolean;
}

/** One carrier candidate. */
export interface Candidate {
  /** Its sample index (decode order). */
  readonly sample: number;
  /** The IDR picture it is decoded from. */
  readonly idr: number;
  /** Pictures to decode to reach it (the IDR picture and the references on the way, and itself). */
  readonly cost: number;
  /**
   * The pictures to decode, in decode order, to reach it: the IDR picture,
   * the reference pictures after it, itself. For a group's last picture, every
   * picture of the group (their headers are not read).
   */
  readonly path: Uint32Array;
}

/**
 * A video's carrier candidates, found as they are asked for. `header(i)`
 * reads picture i's header from the file (each is read once).
 */
export class CarrierList {
  private readonly found: Candidate[] = [];
  /** Headers read so far: IDR flag (-1 not read yet) and nal_ref_idc, per picture. */
  private readonly idrFlag: Int8Array;
  private readonly refIdc: Uint8Array;
  /** The next group to go through, in the first round and then the second. */
  private nextGroup = 0;
  private secondRound = false;
  private readonly starts: Uint32Array;
  /** Per group, after the first round: where its window ended, and whether it gave its last picture already. */
  private readonly windowEnd: Uint32Array;
  private readonly gaveLast: Uint8Array;

  /**
   * @param sampleCount pictures in the video
   * @param syncSamples sync samples (0-based, ascending), as the sample tables list them; undefined when every sample is one
   */
  constructor(
    readonly sampleCount: number,
    syncSamples: Uint32Array | undefined,
    private readonly header: (sample: number) => PictureHeader,
  ) {
    this.starts = syncSamples ?? Uint32Array.from({ length: sampleCount }, (_, i) => i);
    this.idrFlag = new Int8Array(sampleCount).fill(-1);
    this.refIdc = new Uint8Array(sampleCount);
    this.windowEnd = new Uint32Array(this.starts.length);
    this.gaveLast = new Uint8Array(this.starts.length);
  }

  /** Candidates among the first `limit` of the list (fewer only when the video has no more). */
  count(limit: number): number {
    while (this.found.length < limit) {
      if (this.nextGroup === this.starts.length) {
        if (this.secondRound) break;
        this.secondRound = true;
        this.nextGroup = 0;
      }
      if (this.secondRound) this.restOfGroup(this.nextGroup++);
      else this.scanGroup(this.nextGroup++);
    }
    return Math.min(limit, this.found.length);
  }

  /** The candidate at list position `v`. */
  at(v: number): Candidate {
    if (!Number.isInteger(v) || v < 0 || this.count(v + 1) <= v) throw new RangeError(`no carrier candidate ${v}`);
    return this.found[v];
  }

  /** Every candidate of the video (reads every group's headers). */
  total(): number {
    return this.count(Infinity);
  }

  private pictureHeader(i: number): PictureHeader {
    if (this.idrFlag[i] < 0) {
      const h = this.header(i);
      this.idrFlag[i] = h.idr ? 1 : 0;
      this.refIdc[i] = h.nalRefIdc;
    }
    return { idr: this.idrFlag[i] === 1, nalRefIdc: this.refIdc[i] };
  }

  private groupEnd(g: number): number {
    return g + 1 < this.starts.length ? this.starts[g + 1] : this.sampleCount;
  }

  /** The first round: a group's window, or its last picture. */
  private scanGroup(g: number): void {
    const start = this.starts[g];
    const end = this.groupEnd(g);
    this.windowEnd[g] = start;
    if (start >= end || !this.pictureHeader(start).idr) return;
    const path: number[] = [start];
    let any = false;
    const windowEnd = Math.min(end, start + 1 + CARRIER_WINDOW);
    this.windowEnd[g] = windowEnd;
    for (let i = start + 1; i < windowEnd; i++) {
      const h = this.pictureHeader(i);
      if (h.nalRefIdc === 0) {
        this.found.push({ sample: i, idr: start, cost: path.length + 1, path: Uint32Array.from([...path, i]) });
        any = true;
      } else {
        path.push(i);
      }
    }
    if (any) return;
    // No picture in the window is free of references: the group's last one, when nothing after it refers to it.
    const last = end - 1;
    if (!this.lastIsFree(g)) return;
    this.gaveLast[g] = 1;
    this.found.push({ sample: last, idr: start, cost: end - start, path: Uint32Array.from({ length: end - start }, (_, k) => start + k) });
  }

  /** Whether nothing after a group's last picture can refer to it: an IDR picture or the end of the video follows. */
  private lastIsFree(g: number): boolean {
    const end = this.groupEnd(g);
    return end === this.sampleCount || this.pictureHeader(end).idr;
  }

  /** The second round: a group's unreferenced pictures past its window, in decode order. */
  private restOfGroup(g: number): void {
    const start = this.starts[g];
    const end = this.groupEnd(g);
    if (this.windowEnd[g] <= start || this.gaveLast[g]) return; // an open group, or one that gave its last picture
    const path: number[] = [start];
    for (let i = start + 1; i < end; i++) {
      const h = this.pictureHeader(i);
      const free = h.nalRefIdc === 0 || (i === end - 1 && this.lastIsFree(g));
      if (free && i >= this.windowEnd[g]) this.found.push({ sample: i, idr: start, cost: path.length + 1, path: Uint32Array.from([...path, i]) });
      if (h.nalRefIdc !== 0) path.push(i);
    }
  }
}

/** One run of decoding: from an IDR picture, the pictures to feed, and the carriers among them. */
export interface DecodeRun {
  /** Decode indices to decode, ascending: the IDR picture, the reference pictures on the way, the carriers. */
  readonly feed: Uint32Array;
  /** Decode indices of the carriers this run reaches, ascending. */
  readonly carriers: Uint32Array;
}

/** The decoding a hide needs for the carriers at list positions `chosen`: one run per IDR picture. */
export function decodeRuns(list: CarrierList, chosen: ArrayLike<number>): DecodeRun[] {
  const byIdr = new Map<number, Candidate[]>();
  for (let k = 0; k < chosen.length; k++) {
    const c = list.at(chosen[k]);
    const group = byIdr.get(c.idr) ?? [];
    group.push(c);
    byIdr.set(c.idr, group);
  }
  return [...byIdr.keys()]
    .sort((a, b) => a - b)
    .map((at) => {
      const group = byIdr.get(at)!;
      const feed = new Set<number>();
      for (const c of group) for (const i of c.path) feed.add(i);
      return { feed: Uint32Array.from(feed).sort(), carriers: Uint32Array.from(new Set(group.map((c) => c.sample))).sort() };
    });
}

/**
 * Shares out the carriers (list positions) among at most `workers` workers:
 * a group of carriers decoded from the same IDR picture stays together, and
 * the dearest groups go first to whichever share is lightest.
 */
export function shareCarriers(carriers: ArrayLike<number>, idr: (v: number) => number, cost: (v: number) => number, workers: number): number[][] {
  const groups = new Map<number, { carriers: number[]; cost: number }>();
  for (let k = 0; k < carriers.length; k++) {
    const v = carriers[k];
    const g = groups.get(idr(v)) ?? { carriers: [], cost: 0 };
    g.carriers.push(v);
    g.cost = Math.max(g.cost, cost(v)); // one run decodes up to the dearest carrier of its group
    groups.set(idr(v), g);
  }
  const shares = Array.from({ length: Math.max(1, Math.min(workers, groups.size)) }, () => ({ carriers: [] as number[], cost: 0 }));
  for (const g of [...groups.values()].sort((a, b) => b.cost - a.cost)) {
    const lightest = shares.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.carriers.push(...g.carriers);
    lightest.cost += g.cost;
  }
  return shares.map((s) => s.carriers);
}
