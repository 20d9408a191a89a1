import { type Candidates } from './candidates';
import { type DecisionOptions, type ResolvedDecisionOptions, resolveDecisionOptions } from './options';

/** Tells whether two candidates' attribute sets carry the same AS_PATH (for multipath without relax). */
export type SameAsPath = (attributesA: number, attributesB: number) => boolean;

/** AS_PATH lengths above this compare as equal (the key must stay an exact integer in a double). */
const maximumComparedAsPathLength = 4095;
const maximumComparedClusterListLength = 0xffff;

/**
 * The BGP decision process of RFC 4271 9.1.2.2 with RFC 4456 9 and the usual router options, over one prefix's
 * eligible paths. Ineligible paths (unresolvable next hop, AS loop, RFC 4456 loops) are left out by the caller.
 *
 * Steps, in order: highest LOCAL_PREF; locally originated; shortest AS_PATH (a); lowest ORIGIN (b); lowest MED (c);
 * eBGP over iBGP (d); lowest IGP cost (e); lowest BGP Identifier or ORIGINATOR_ID (f, RFC 4456 9); shortest
 * CLUSTER_LIST (RFC 4456 9); lowest peer address (g); lowest peer id (so the order is total).
 *
 * Order independence: the result is a function of the set of candidates only, in every mode.
 * - `alwaysCompareMed`: every step compares a total key, so the steps form one lexicographic total order (the last
 *   key, the peer id, is unique per path); the best is its minimum.
 * - default (MED only within the same neighbouring AS): run as the RFC text words it, by set elimination: each step
 *   removes every path beaten on that step by some remaining path, and the MED step removes a path when a remaining
 *   path from the same neighbouring AS has a lower MED. Each step depends only on the set it is given, never on a
 *   pairwise scan order, so the non-transitive pairwise MED comparison never arises.
 * - `deterministicMed`: paths are grouped by neighbouring AS; each group's best is the minimum of the full total order
 *   (MED included, comparable inside a group); the winners are compared by the total order without MED.
 *
 * Multipath: the paths equal to the best through the IGP cost step (e), in the sense the mode gives MED, ordered by
 * the remaining tie-breakers, best first, at most `maximumPaths`; without `multipathRelax` they must also carry the
 * best path's AS_PATH.
 *
 * AS_PATH lengths above 4095 and CLUSTER_LIST lengths above 65535 compare as equal.
 *
 * @example
 * const process = new DecisionProcess({ deterministicMed: true });
 * const count = process.select(candidates, out); // out[0] is the best candidate's index
 */
export class DecisionProcess {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedDecisionOptions;
  private alive: Uint8Array = new Uint8Array(16);
  private winner: Int32Array = new Int32Array(16);
  private readonly alwaysCompareMed: boolean;
  private readonly deterministicMed: boolean;
  private readonly ignoreIgpCost: boolean;
  private readonly compareRouterId: boolean;
  private readonly localWeight: number;
  private readonly asPathWeight: number;
  private readonly clusterWeight: number;

  constructor(options: DecisionOptions = {}) {
    this.options = resolveDecisionOptions(options);
    this.alwaysCompareMed = this.options.alwaysCompareMed;
    this.deterministicMed = this.options.deterministicMed && !this.options.alwaysCompareMed;
    this.ignoreIgpCost = this.options.ignoreIgpCost;
    this.compareRouterId = this.options.compareRouterId;
    this.localWeight = this.options.preferLocallyOriginated ? 1 : 0;
    this.asPathWeight = this.options.ignoreAsPathLength ? 0 : 1;
    this.clusterWeight = this.options.compareClusterListLength ? 1 : 0;
  }

  /**
   * Chooses the best candidate and the multipath set. Writes candidate indexes (not path ids) into `out`, best first,
   * and returns how many (0 when there are no candidates).
   *
   * @param sameAsPath - AS_PATH equality of two attribute-set ids, used when multipath is on without relax
   */
  select(candidates: Candidates, out: Int32Array, sameAsPath?: SameAsPath): number {
    const count = candidates.count;
    if (count === 0) return 0;
    if (count === 1) {
      out[0] = 0;
      return 1;
    }
    if (this.alive.length < count) {
      this.alive = new Uint8Array(count * 2);
      this.winner = new Int32Array(count * 2);
    }
    this.computeKeys(candidates);
    const alive = this.alive;
    let best: number;
    if (this.alwaysCompareMed) {
      best = 0;
      for (let index = 1; index < count; index++)
        if (this.compareTotal(candidates, index, best, true) < 0) best = index;
      for (let index = 0; index < count; index++) {
        alive[index] = this.compareThroughIgp(candidates, index, best, true) === 0 ? 1 : 0;
      }
    } else if (this.deterministicMed) {
      best = this.selectDeterministic(candidates, alive);
    } else {
      best = this.selectByElimination(candidates, alive);
    }
    return this.collect(candidates, alive, best, out, sameAsPath);
  }

  /**
   * The steps before MED folded into one number, lower preferred, as the decision folds them per candidate. A path
   * whose rank is above the current best's can change neither the best nor the multipath set, in any mode, so a RIB
   * may skip the decision.
   *
   * @param localPref - effective LOCAL_PREF
   * @param locallyOriginated - 1 for a locally originated path, else 0
   * @param asPathLength - AS_PATH length for selection
   * @param origin - ORIGIN
   */
  rankOf(localPref: number, locallyOriginated: number, asPathLength: number, origin: number): number {
    return (
      (0xffffffff - localPref) * 0x8000 +
      (1 - locallyOriginated) * this.localWeight * 0x4000 +
      Math.min(asPathLength, maximumComparedAsPathLength) * this.asPathWeight * 4 +
      origin
    );
  }

  /**
   * Folds the steps before MED into one exact integer per candidate (lower preferred): LOCAL_PREF (9.1.1, highest
   * wins), then locally originated, then AS_PATH length (a), then ORIGIN (b). Likewise CLUSTER_LIST length and peer
   * address rank for the tie-breakers.
   */
  private computeKeys(c: Candidates): void {
    const localWeight = this.localWeight;
    const asPathWeight = this.asPathWeight;
    const clusterWeight = this.clusterWeight;
    for (let index = 0; index < c.count; index++) {
      const length = Math.min(c.asPathLength[index]!, maximumComparedAsPathLength) * asPathWeight;
      // 32 bits of LOCAL_PREF, 1 bit of local origin, 12 bits of AS_PATH length, 2 bits of ORIGIN: 47 bits.
      c.rank[index] =
        (0xffffffff - c.localPref[index]!) * 0x8000 +
        (1 - c.locallyOriginated[index]!) * localWeight * 0x4000 +
        length * 4 +
        c.origin[index]!;
      c.tieBreak[index] =
        Math.min(c.clusterListLength[index]!, maximumComparedClusterListLength) * clusterWeight * 0x10000 +
        c.peerAddressRank[index]!;
    }
  }

  /** RFC 4271 9.1.2.2 as written: each step keeps the paths not beaten on it; returns the best, marks survivors. */
  private selectByElimination(c: Candidates, alive: Uint8Array): number {
    const count = c.count;
    const rank = c.rank;
    // LOCAL_PREF, local origin, (a) AS_PATH length, (b) ORIGIN: keep the minimum of the folded key.
    let lowest = rank[0]!;
    for (let index = 1; index < count; index++) if (rank[index]! < lowest) lowest = rank[index]!;
    let survivors = 0;
    for (let index = 0; index < count; index++) {
      const keep = rank[index] === lowest ? 1 : 0;
      alive[index] = keep;
      survivors += keep;
    }
    // (c) "remove from consideration all routes that have a MED greater than the lowest MED among routes from the same
    // neighboring AS": a set-wide minimum per neighbouring AS, independent of order.
    if (survivors > 1) {
      const med = c.med;
      const neighborAs = c.neighborAs;
      for (let index = 0; index < count; index++) {
        if (alive[index] === 0) continue;
        const ownMed = med[index]!;
        const ownAs = neighborAs[index]!;
        for (let other = 0; other < count; other++) {
          if (alive[other] !== 0 && med[other]! < ownMed && neighborAs[other] === ownAs) {
            alive[index] = 2; // beaten, but still a basis of comparison for the others in this pass
            break;
          }
        }
      }
      for (let index = 0; index < count; index++) if (alive[index] === 2) alive[index] = 0;
    }
    // (d) eBGP over iBGP, (e) lowest IGP cost: the minimum over the survivors; then the tie-breakers pick the best.
    let basis = -1;
    for (let index = 0; index < count; index++) {
      if (alive[index] !== 0 && (basis < 0 || this.compareAfterMed(c, index, basis) < 0)) basis = index;
    }
    let best = -1;
    for (let index = 0; index < count; index++) {
      if (alive[index] === 0) continue;
      if (index !== basis && this.compareAfterMed(c, index, basis) !== 0) {
        alive[index] = 0;
        continue;
      }
      if (best < 0 || this.compareTieBreak(c, index, best) < 0) best = index;
    }
    return best;
  }

  /** deterministic-med: the best of each neighbouring AS with MED, then the winners without MED. */
  private selectDeterministic(c: Candidates, alive: Uint8Array): number {
    const count = c.count;
    const winner = this.winner;
    for (let index = 0; index < count; index++) {
      let groupBest = index;
      for (let other = 0; other < count; other++) {
        if (c.neighborAs[other] === c.neighborAs[index] && this.compareTotal(c, other, groupBest, true) < 0) {
          groupBest = other;
        }
      }
      winner[index] = groupBest;
    }
    let best = -1;
    for (let index = 0; index < count; index++) {
      if (winner[index] !== index) continue;
      if (best < 0 || this.compareTotal(c, index, best, false) < 0) best = index;
    }
    for (let index = 0; index < count; index++) {
      const groupBest = winner[index]!;
      alive[index] =
        this.compareThroughIgp(c, index, groupBest, true) === 0 &&
        this.compareThroughIgp(c, groupBest, best, false) === 0
          ? 1
          : 0;
    }
    return best;
  }

  /** Writes the best and the other survivors (multipath candidates) in tie-break order into `out`. */
  private collect(c: Candidates, alive: Uint8Array, best: number, out: Int32Array, sameAsPath?: SameAsPath): number {
    out[0] = best;
    const maximum = this.options.maximumPaths;
    if (maximum === 1) return 1;
    let written = 1;
    for (let index = 0; index < c.count; index++) {
      if (index === best || alive[index] === 0) continue;
      if (
        !this.options.multipathRelax &&
        sameAsPath !== undefined &&
        !sameAsPath(c.attributes[index]!, c.attributes[best]!)
      ) {
        continue;
      }
      // Insertion sort by the tie-breakers: few paths per prefix.
      let at = written;
      while (at > 1 && this.compareTieBreak(c, index, out[at - 1]!) < 0) {
        out[at] = out[at - 1]!;
        at--;
      }
      out[at] = index;
      written++;
    }
    return Math.min(written, maximum);
  }

  /** Negative when `a` is preferred on (d) eBGP over iBGP, then (e) the lowest IGP cost. */
  private compareAfterMed(c: Candidates, a: number, b: number): number {
    const internal = c.internal[a]! - c.internal[b]!;
    if (internal !== 0) return internal;
    if (this.ignoreIgpCost) return 0;
    const cost = c.igpCost[a]! - c.igpCost[b]!;
    return cost < 0 ? -1 : cost > 0 ? 1 : 0;
  }

  /** Steps through (e), with MED compared when `withMed` and (always-compare or same neighbouring AS). */
  private compareThroughIgp(c: Candidates, a: number, b: number, withMed: boolean): number {
    const before = c.rank[a]! - c.rank[b]!;
    if (before !== 0) return before;
    if (withMed && (this.alwaysCompareMed || c.neighborAs[a] === c.neighborAs[b])) {
      const med = c.med[a]! - c.med[b]!;
      if (med !== 0) return med;
    }
    return this.compareAfterMed(c, a, b);
  }

  /** (f) lowest BGP Identifier or ORIGINATOR_ID, RFC 4456 shortest CLUSTER_LIST, (g) lowest peer address, peer id. */
  private compareTieBreak(c: Candidates, a: number, b: number): number {
    if (this.compareRouterId) {
      const routerId = c.routerId[a]! - c.routerId[b]!;
      if (routerId !== 0) return routerId;
    }
    const rest = c.tieBreak[a]! - c.tieBreak[b]!;
    if (rest !== 0) return rest;
    return c.peerId[a]! - c.peerId[b]!;
  }

  /** The whole lexicographic order: negative when `a` is preferred. */
  private compareTotal(c: Candidates, a: number, b: number, withMed: boolean): number {
    const through = this.compareThroughIgp(c, a, b, withMed);
    return through !== 0 ? through : this.compareTieBreak(c, a, b);
  }
}
