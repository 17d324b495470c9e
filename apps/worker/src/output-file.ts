import type { ObjectStorage, ObjectWriter } from '@harmonizer/storage';
import { writeWhenDrained, type WriteData } from './write-when-drained.js';

/**
 * Bytes a result file keeps in memory before its storage writer is opened. A small job's files
 * never reach it: each is stored whole at the end by one put() of its bytes (for local storage,
 * a few blocking calls and no stream: see SYNC_WRITE_BYTES there), instead of opened up front
 * and written piece by piece through a stream, each step a trip through libuv's thread pool.
 * A big job's files pass it with their first chunk and stream from then on, as before.
 */
export const OUTPUT_BUFFER_BYTES = 64 * 1024;

/** One result file: written in order, visible only after commit(), gone after abort(). */
export interface OutputFile {
  /**
   * Resolves when more can be written (the storage stream drained, or the bytes were buffered).
   * `borrowed`: the caller reuses the byte arrays once settled() resolves (a result slab's views),
   * so they are copied where they would be kept longer: while buffered, and for a writer that
   * may hold a chunk after calling back (no releasesOnCallback). Others are never copied.
   */
  write(data: WriteData, borrowed?: boolean): Promise<void>;
  commit(): Promise<{ size: number }>;
  abort(): Promise<void>;
  /**
   * Resolves once no borrowed byte array written before the call is referenced any more: written
   * out, copied, or dropped by abort. Until then the caller must not change or reuse its memory
   * (the pipeline's result slabs wait for it).
   */
  settled(): Promise<void>;
}

const byteLength = (data: string | Uint8Array) => (typeof data === 'string' ? Buffer.byteLength(data) : data.length);

const piecesOf = (data: WriteData): readonly (string | Uint8Array)[] => (typeof data === 'string' || data instanceof Uint8Array ? [data] : data);

/** The data with every byte array copied (borrowed data the writer or the buffer would keep). */
const copied = (data: WriteData): WriteData => (typeof data === 'string' ? data : data instanceof Uint8Array ? data.slice() : data.map((piece) => piece.slice()));

/** The buffered pieces as one write: the bytes the stream would have received one by one. */
function joined(pieces: readonly (string | Uint8Array)[], bytes: number): string | Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  if (pieces.every((piece) => typeof piece === 'string')) return pieces.join('');
  return joinedBytes(pieces, bytes);
}

/** The same as bytes (strings as UTF-8, as a stream writes them). */
function joinedBytes(pieces: readonly (string | Uint8Array)[], bytes: number): Uint8Array {
  if (pieces.length === 1 && typeof pieces[0] !== 'string') return pieces[0]!;
  return Buffer.concat(
    pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)),
    bytes,
  );
}

/**
 * A result file whose storage writer is opened only when its bytes pass `bufferBytes`; one that
 * never does is stored whole by commit (put, temp file then rename, like a writer's commit).
 * Until then nothing exists in storage, not even a temp file, so abort has nothing to remove.
 * Writes are applied in call order (each waits for the one before), so callers may overlap them.
 */
export function createOutputFile(storage: ObjectStorage, key: string, bufferBytes = OUTPUT_BUFFER_BYTES): OutputFile {
  let pending: (string | Uint8Array)[] = [];
  let pendingBytes = 0;
  let writer: Promise<ObjectWriter> | null = null;
  let last: Promise<void> = Promise.resolve();
  let settled = false;
  // Writes handed to the storage stream and not yet called back (each call's number), and who waits for them.
  let issued = 0;
  const unwritten = new Set<number>();
  let waiters: { upTo: number; resolve: () => void }[] = [];
  const onWritten = (seq: number) => () => {
    unwritten.delete(seq);
    const oldest = unwritten.size === 0 ? Infinity : Math.min(...unwritten);
    const ready = waiters.filter((w) => w.upTo < oldest);
    waiters = waiters.filter((w) => w.upTo >= oldest);
    for (const w of ready) w.resolve();
  };
  /** Hands data to the open writer, counted until the stream calls back (borrowed data copied first if the writer may keep it). */
  const send = (opened: ObjectWriter, data: WriteData, borrowed: boolean) => {
    const seq = ++issued;
    unwritten.add(seq);
    return writeWhenDrained(opened.stream, borrowed && !opened.releasesOnCallback ? copied(data) : data, onWritten(seq));
  };

  const flush = async (): Promise<ObjectWriter> => {
    writer ??= storage.createWriter(key);
    const opened = await writer;
    if (pendingBytes > 0) {
      const data = joined(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await send(opened, data, false); // buffered pieces are the caller's to keep, or copies
    }
    return opened;
  };

  const apply = async (data: WriteData, borrowed: boolean) => {
    if (settled) throw new Error('result file written after commit or abort');
    if (writer !== null) {
      // Streaming already: the pieces go to the stream as they are (no joining, no copy).
      await send(await writer, data, borrowed);
      return;
    }
    // Held until the writer opens or commit: borrowed arrays are copied, so the caller may reuse
    // them at once (a file's first OUTPUT_BUFFER_BYTES at most).
    for (const piece of piecesOf(data)) {
      pending.push(borrowed && typeof piece !== 'string' ? piece.slice() : piece);
      pendingBytes += byteLength(piece);
    }
    if (pendingBytes >= bufferBytes) await flush();
  };

  return {
    write(data, borrowed = false) {
      if (data.length === 0) return last;
      const done = last.then(() => apply(data, borrowed));
      last = done.catch(() => undefined); // the caller sees the failure; later writes and abort still run
      return done;
    },
    async commit() {
      await last;
      if (settled) throw new Error('result file committed or aborted twice');
      if (writer === null) {
        settled = true;
        const data = joinedBytes(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        const { size } = await storage.put(key, data);
        return { size };
      }
      const opened = await flush();
      settled = true;
      return opened.commit();
    },
    async abort() {
      settled = true;
      pending = [];
      pendingBytes = 0;
      await last;
      if (writer === null) return;
      const opened = await writer.catch(() => null);
      await opened?.abort();
    },
    async settled() {
      await last;
      const upTo = issued;
      const oldest = unwritten.size === 0 ? Infinity : Math.min(...unwritten);
      if (upTo < oldest) return;
      await new Promise<void>((resolve) => waiters.push({ upTo, resolve }));
    },
  };
}
