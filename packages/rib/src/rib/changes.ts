import { type Prefix } from '../address/prefix';
import { type BgpRoute } from '../path/route';

/**
 * One prefix's change in the Loc-RIB since the stream last reported it: a new best path (or multipath set), or a
 * withdrawal (no eligible path left).
 */
export interface RibChange {
  /** `update`: `route` is the new best. `withdraw`: the prefix has no best path any more. */
  readonly kind: 'update' | 'withdraw';
  /** The prefix. */
  readonly prefix: Prefix;
  /** The best route (undefined for a withdrawal). */
  readonly route: BgpRoute | undefined;
  /** The multipath set, best first (just the best without multipath; empty for a withdrawal). */
  readonly multipath: readonly BgpRoute[];
}

/** What a change stream asks of its RIB. @internal */
export interface ChangeSource {
  slotCapacity(): number;
  slotVersion(slot: number): number;
  hasBest(slot: number): boolean;
  slotPrefix(slot: number): Prefix;
  bestRoute(slot: number): BgpRoute | undefined;
  multipathRoutes(slot: number): readonly BgpRoute[];
  allSlots(): number;
  unsubscribe(stream: RibChangeStream): void;
}

/**
 * A stream of Loc-RIB changes, coalesced per prefix: between two reads a prefix appears at most once, with its state
 * at read time, so a bulk load of a million paths yields one change per prefix, and a prefix that came and went
 * between reads yields nothing. Read it with `for await` (each iteration waits for changes, then yields them) or with
 * `drain()` in a synchronous loop. Each stream has its own position; `close()` ends it. A stream starts from the table
 * as it is when made (or, with `replay`, reports every current best route first).
 *
 * @example
 * const stream = rib.changes();
 * rib.addRoute(new BgpRoute('10.0.0.0/24', '192.0.2.1', [65001]));
 * for (const change of stream.drain()) console.log(change.kind, String(change.prefix));
 * for await (const change of stream) handle(change); // waits for more
 */
export class RibChangeStream implements AsyncIterableIterator<RibChange> {
  private dirty: Uint8Array;
  private announced: Uint8Array;
  private announcedVersion: Uint32Array;
  private queue: Int32Array;
  private queued = 0;
  private buffer: RibChange[] = [];
  private bufferAt = 0;
  private waiting: ((result: IteratorResult<RibChange>) => void) | undefined = undefined;
  private closed = false;
  private readonly source: ChangeSource;

  /** @internal */
  constructor(source: ChangeSource, replay: boolean) {
    this.source = source;
    const capacity = Math.max(16, source.slotCapacity());
    this.dirty = new Uint8Array(capacity);
    this.announced = new Uint8Array(capacity);
    this.announcedVersion = new Uint32Array(capacity);
    this.queue = new Int32Array(64);
    const count = source.allSlots();
    for (let slot = 0; slot < count; slot++) {
      if (!source.hasBest(slot)) continue;
      if (replay) {
        this.mark(slot);
      } else {
        // The reader knows the table as it is now: later changes to it, withdrawals included, are reported.
        this.announced[slot] = 1;
        this.announcedVersion[slot] = source.slotVersion(slot);
      }
    }
  }

  /** Prefixes waiting to be reported (an upper bound: some may turn out unchanged). */
  get pending(): number {
    return this.queued + this.buffer.length - this.bufferAt;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal The RIB calls this when a prefix's best path may have changed. */
  mark(slot: number): void {
    if (this.closed) return;
    if (slot >= this.dirty.length) this.growTo(slot + 1);
    if (this.dirty[slot] !== 0) return;
    this.dirty[slot] = 1;
    if (this.queued === this.queue.length) {
      const grown = new Int32Array(this.queue.length * 2);
      grown.set(this.queue);
      this.queue = grown;
    }
    this.queue[this.queued++] = slot;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      // Resolve on a microtask boundary: the waiter runs after the caller's synchronous work, so a bulk load is one
      // batch.
      this.waiting = undefined;
      queueMicrotask(() => {
        const next = this.takeOne();
        if (next !== undefined) waiting({ value: next, done: false });
        else if (this.closed) waiting({ value: undefined, done: true });
        else this.waiting = waiting;
      });
    }
  }

  /**
   * Every change since the last read, one per prefix, in the order prefixes first changed. Synchronous; allocates the
   * change objects only.
   */
  drain(): RibChange[] {
    const changes: RibChange[] = this.buffer.length > this.bufferAt ? this.buffer.slice(this.bufferAt) : [];
    this.buffer = [];
    this.bufferAt = 0;
    const source = this.source;
    const count = this.queued;
    this.queued = 0;
    for (let index = 0; index < count; index++) {
      const slot = this.queue[index]!;
      this.dirty[slot] = 0;
      if (source.hasBest(slot)) {
        const version = source.slotVersion(slot);
        if (this.announced[slot] === 1 && this.announcedVersion[slot] === version) continue;
        this.announced[slot] = 1;
        this.announcedVersion[slot] = version;
        const route = source.bestRoute(slot);
        changes.push({
          kind: 'update',
          prefix: source.slotPrefix(slot),
          route,
          multipath: source.multipathRoutes(slot),
        });
      } else if (this.announced[slot] === 1) {
        this.announced[slot] = 0;
        changes.push({ kind: 'withdraw', prefix: source.slotPrefix(slot), route: undefined, multipath: [] });
      }
    }
    if (this.queue.length > 4096 && count < 1024) this.queue = new Int32Array(1024);
    return changes;
  }

  /** The next change, waiting for one when none is pending; `done` after `close()`. */
  next(): Promise<IteratorResult<RibChange>> {
    const change = this.takeOne();
    if (change !== undefined) return Promise.resolve({ value: change, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    if (this.waiting !== undefined) {
      return Promise.reject(new Error('RibChangeStream: next() called again before the previous call settled'));
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Ends the stream (as `close()`), for `break` out of `for await`. */
  return(): Promise<IteratorResult<RibChange>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops the stream: the RIB forgets it, a pending `next()` ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.unsubscribe(this);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private takeOne(): RibChange | undefined {
    if (this.bufferAt >= this.buffer.length) {
      if (this.queued === 0) return undefined;
      this.buffer = this.drain();
      this.bufferAt = 0;
      if (this.buffer.length === 0) return undefined;
    }
    return this.buffer[this.bufferAt++];
  }

  private growTo(minimum: number): void {
    let capacity = this.dirty.length;
    while (capacity < minimum) capacity *= 2;
    const dirty = new Uint8Array(capacity);
    dirty.set(this.dirty);
    this.dirty = dirty;
    const announced = new Uint8Array(capacity);
    announced.set(this.announced);
    this.announced = announced;
    const versions = new Uint32Array(capacity);
    versions.set(this.announcedVersion);
    this.announcedVersion = versions;
  }
}
