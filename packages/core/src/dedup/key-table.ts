/** Slots up to which a table doubles; past it, it grows by half (see KeyTable). */
export const DOUBLING_LIMIT = 1 << 20;

const TWO_POW_32 = 4294967296;

/**
 * A set of 128-bit keys, each with the row that first had it: open addressing with linear
 * probing over typed arrays (4 key words + 1 row word = 20 bytes a slot), growing when 4/5
 * full: by doubling up to DOUBLING_LIMIT slots (2^20: 830,000 keys, the 1M-row file), by half
 * past it, so a 10M-row file's table is ~12M slots instead of 2^24, and the old and new arrays
 * alive together while it grows are 2.5x the old size instead of 3x. No object or string per
 * key, so the heap holds a few large arrays whatever the row count: 830,000 distinct keys fit
 * 2^20 slots = 21 MB, where a Map of 22-character strings took several times that and most of
 * the GC time of the thread holding it.
 *
 * The key words are hash bits (the 128-bit record hash of record-keys.ts), so the first word
 * is already uniformly spread: its place in [0, 2^32) scaled to the capacity is the slot
 * (multiply-shift; for a power-of-two capacity, the word's top bits).
 */
export class KeyTable {
  private keys: Uint32Array;
  /** row + 1 per slot; 0 = empty. */
  private rows: Uint32Array;
  private slots: number;
  /** slots / 2^32: a key word times this, rounded down, is its slot. */
  private scale: number;
  private count = 0;

  /**
   * @param initialCapacity slots to start with, rounded up to a power of two (at least 16).
   * @param doublingLimit capacity up to which the table doubles (tests make it small).
   */
  constructor(
    initialCapacity = 1024,
    private readonly doublingLimit = DOUBLING_LIMIT,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.keys = new Uint32Array(capacity * 4);
    this.rows = new Uint32Array(capacity);
    this.slots = capacity;
    this.scale = capacity / TWO_POW_32;
  }

  /** The first slot to probe for a key whose first word is k0. */
  private slotOf(k0: number): number {
    const slot = Math.floor((k0 >>> 0) * this.scale);
    // Rounding can only reach `slots` for the largest words of a large table.
    return slot < this.slots ? slot : this.slots - 1;
  }

  /** Keys held. */
  get size(): number {
    return this.count;
  }

  /** Slots allocated (a power of two up to the doubling limit). */
  get capacity(): number {
    return this.slots;
  }

  /** Bytes of the typed arrays. */
  get byteLength(): number {
    return this.keys.byteLength + this.rows.byteLength;
  }

  /** The row stored with the key, or -1 when the key is not held. */
  get(k0: number, k1: number, k2: number, k3: number): number {
    const { keys, rows, slots } = this;
    let slot = this.slotOf(k0);
    for (;;) {
      const stored = rows[slot]!;
      if (stored === 0) return -1;
      const at = slot * 4;
      if (keys[at] === k0 >>> 0 && keys[at + 1] === k1 >>> 0 && keys[at + 2] === k2 >>> 0 && keys[at + 3] === k3 >>> 0) return stored - 1;
      if (++slot === slots) slot = 0;
    }
  }

  /**
   * Stores the key with its row unless it is held already. Returns the row held before (the
   * key was there and nothing changed) or -1 (it was added).
   */
  add(k0: number, k1: number, k2: number, k3: number, row: number): number {
    if (!Number.isInteger(row) || row < 0 || row >= 0xffffffff) throw new RangeError(`row ${row} cannot be stored in the key table`);
    const held = this.get(k0, k1, k2, k3);
    if (held !== -1) return held;
    if ((this.count + 1) * 5 > this.capacity * 4) this.grow();
    this.place(k0 >>> 0, k1 >>> 0, k2 >>> 0, k3 >>> 0, row + 1);
    this.count++;
    return -1;
  }

  private place(k0: number, k1: number, k2: number, k3: number, stored: number): void {
    const { keys, rows, slots } = this;
    let slot = this.slotOf(k0);
    while (rows[slot] !== 0) if (++slot === slots) slot = 0;
    const at = slot * 4;
    keys[at] = k0;
    keys[at + 1] = k1;
    keys[at + 2] = k2;
    keys[at + 3] = k3;
    rows[slot] = stored;
  }

  /**
   * Makes room for `keys` keys in all (held ones included) without growing again: one table of
   * the size needed instead of a series of growths, each of which held the old and the new arrays
   * at once and left the old ones as garbage. Does nothing when the table is big enough.
   */
  reserve(keys: number): void {
    const slots = Math.ceil((Math.ceil(keys) * 5) / 4 / 16) * 16;
    if (slots > this.slots) this.resize(slots);
  }

  private grow(): void {
    this.resize(this.slots < this.doublingLimit ? this.slots * 2 : Math.ceil((this.slots * 1.5) / 16) * 16);
  }

  private resize(capacity: number): void {
    const oldKeys = this.keys;
    const oldRows = this.rows;
    this.keys = new Uint32Array(capacity * 4);
    this.rows = new Uint32Array(capacity);
    this.slots = capacity;
    this.scale = capacity / TWO_POW_32;
    for (let slot = 0; slot < oldRows.length; slot++) {
      const stored = oldRows[slot]!;
      if (stored === 0) continue;
      const at = slot * 4;
      this.place(oldKeys[at]!, oldKeys[at + 1]!, oldKeys[at + 2]!, oldKeys[at + 3]!, stored);
    }
  }
}
