/**
 * A set of 128-bit keys, each with the row that first had it: open addressing with linear
 * probing over typed arrays (4 key words + 1 row word = 20 bytes a slot), doubling when 4/5
 * full. No object or string per key, so the heap holds a few large arrays whatever the row
 * count: 830,000 distinct keys fit 2^20 slots = 21 MB, where a Map of 22-character strings
 * took several times that and most of the GC time of the thread holding it.
 *
 * The key words are hash bits (SHA-256 of the record, see record-keys.ts), so the first word
 * is already uniformly spread and serves as the slot index.
 */
export class KeyTable {
  private keys: Uint32Array;
  /** row + 1 per slot; 0 = empty. */
  private rows: Uint32Array;
  private mask: number;
  private count = 0;

  /** @param initialCapacity slots to start with, rounded up to a power of two (at least 16). */
  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.keys = new Uint32Array(capacity * 4);
    this.rows = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Keys held. */
  get size(): number {
    return this.count;
  }

  /** Slots allocated (a power of two). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes of the typed arrays. */
  get byteLength(): number {
    return this.keys.byteLength + this.rows.byteLength;
  }

  /** The row stored with the key, or -1 when the key is not held. */
  get(k0: number, k1: number, k2: number, k3: number): number {
    const { keys, rows, mask } = this;
    let slot = k0 & mask;
    for (;;) {
      const stored = rows[slot]!;
      if (stored === 0) return -1;
      const at = slot * 4;
      if (keys[at] === k0 >>> 0 && keys[at + 1] === k1 >>> 0 && keys[at + 2] === k2 >>> 0 && keys[at + 3] === k3 >>> 0) return stored - 1;
      slot = (slot + 1) & mask;
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
    const { keys, rows, mask } = this;
    let slot = k0 & mask;
    while (rows[slot] !== 0) slot = (slot + 1) & mask;
    const at = slot * 4;
    keys[at] = k0;
    keys[at + 1] = k1;
    keys[at + 2] = k2;
    keys[at + 3] = k3;
    rows[slot] = stored;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldRows = this.rows;
    const capacity = (this.mask + 1) * 2;
    this.keys = new Uint32Array(capacity * 4);
    this.rows = new Uint32Array(capacity);
    this.mask = capacity - 1;
    for (let slot = 0; slot < oldRows.length; slot++) {
      const stored = oldRows[slot]!;
      if (stored === 0) continue;
      const at = slot * 4;
      this.place(oldKeys[at]!, oldKeys[at + 1]!, oldKeys[at + 2]!, oldKeys[at + 3]!, stored);
    }
  }
}
