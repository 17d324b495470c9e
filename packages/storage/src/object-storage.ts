import type { Readable, Writable } from 'node:stream';

export interface PutResult {
  size: number;
  sha256: string;
}

/** A write that becomes visible under its key only when committed; abort leaves nothing behind. */
export interface ObjectWriter {
  readonly stream: Writable;
  /**
   * True when a write's callback means its bytes were written out and the writer keeps no
   * reference to them (a file stream): the caller may then reuse the memory. Otherwise (a
   * transform in front, which may hold the chunk), a caller that reuses memory writes a copy.
   */
  readonly releasesOnCallback?: boolean;
  /** Only the size: uploads are hashed (put), outputs are not, since no caller needs their digest. */
  commit(): Promise<{ size: number }>;
  abort(): Promise<void>;
}

/**
 * The one storage seam: the api and the workers may run on different hosts, so everything they
 * share goes through keys, never through paths. Local disk now; S3-compatible later.
 */
export interface ObjectStorage {
  /**
   * Stores `source` at `key`, hashing and counting it; nothing is visible unless it succeeds. A
   * stream is written as it arrives; bytes the caller already holds whole (a small upload) are
   * written in one go, without stream machinery. Either way: the same file, size and sha256.
   */
  put(key: string, source: Readable | Uint8Array, options?: { maxBytes?: number }): Promise<PutResult>;
  createWriter(key: string): Promise<ObjectWriter>;
  /**
   * Throws ObjectNotFoundError when absent. `chunkBytes`: how much each read of the file takes
   * (64 KiB unless given); a download sends larger chunks, in fewer reads and socket writes.
   */
  read(key: string, options?: { chunkBytes?: number }): Promise<Readable>;
  /**
   * The whole object at once when it is at most `maxBytes`, else null (read() it). For a small
   * input: one blocking read where a stream takes several trips through libuv's thread pool.
   * Optional: a storage that must check what it reads as a whole (encrypted) leaves it out.
   */
  readSmall?(key: string, maxBytes: number): Promise<Buffer | null>;
  size(key: string): Promise<number | null>;
  remove(key: string): Promise<void>;
  removePrefix(prefix: string): Promise<void>;
  /**
   * Removes temp files of writes that never finished (a crash mid-upload) and untouched for
   * `olderThanMs`; with `prefix`, only those of writes to keys under it (`uploads`). Returns how many.
   */
  cleanupTemp(olderThanMs: number, options?: { prefix?: string }): Promise<number>;
}
