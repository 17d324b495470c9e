import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  InputError,
  combineDecodeStats,
  createTextDecoder,
  decodeUtf8,
  detectEncoding,
  sniffContainer,
  stripBom,
  type ByteEncoding,
  type DecodeStats,
} from '@harmonizer/core';
import type { ObjectStorage } from '@harmonizer/storage';
import { createDecompressedLimit } from './decompressed-limit.js';

/** The stored upload as decoded text, read piece by piece. */
export interface TextSource {
  /** The next piece of text, or null at the end of the input. */
  read(): Promise<string | null>;
  /** Bytes of the stored file read so far (compressed bytes for gzip): progress is measured in these. */
  readonly bytesRead: number;
  readonly compression: 'gzip' | null;
  readonly byteEncoding: ByteEncoding;
  /** What the text turned out to be; final once read() returned null (or the raw reader's end, with every chunk's addDecoded). */
  stats(): DecodeStats;
  /**
   * Hands the rest of the input over as bytes, not decoded: those after the bytes that decode to
   * `prefix` (the text read() gave so far up to a line's end, a BOM left out), then the rest of
   * the file as it is read. Null when that cannot be told: a UTF-16 file, more than RAW_HEAD_BYTES
   * read as text, or a prefix that does not end a line. After it read() must not be called; the
   * taker decodes the bytes (decodeUtf8, in the pool's threads) and reports each part's stats to
   * addDecoded, so stats() covers the whole file.
   */
  rawAfter(prefix: string): { read(): Promise<Uint8Array | null> } | null;
  /** The stats of bytes from rawAfter's reader, decoded elsewhere (ignored when rawAfter gave none: read() decoded everything). */
  addDecoded(stats: DecodeStats): void;
  destroy(): void;
}

/** Bytes read as text that are kept for rawAfter: the head the format is told from, and more. */
const RAW_HEAD_BYTES = 1024 * 1024;

/** Bytes gathered before choosing the decoder: enough for UTF-16's NUL pattern. */
const HEAD_BYTES = 4096;

/**
 * Opens the stored input: gzip (told by its magic bytes, whatever the file name) is unwrapped by
 * zlib as it streams, up to maxDecompressedBytes (a gzip bomb fails with
 * input.decompressed_too_large); other containers are refused; the bytes go through core's
 * decoder (UTF-8 / Windows-1252 / UTF-16). A gzip stream that ends early or is damaged is the
 * user's input at fault (InputError), unlike a storage failure, which is rethrown for a retry.
 */
export async function openTextSource(
  storage: ObjectStorage,
  key: string,
  options: { maxDecompressedBytes?: number; sizeBytes?: number } = {},
): Promise<TextSource> {
  const stored = await openStored(storage, key, options.sizeBytes);
  let bytesRead = 0;
  const storedChunks = stored[Symbol.asyncIterator]();
  const countedNext = async () => {
    const next = await storedChunks.next();
    if (!next.done) bytesRead += next.value.length;
    return next;
  };

  const outerHead = await gather(countedNext, 2);
  const compression = sniffContainer(Buffer.concat(outerHead.chunks)) === 'gzip' ? 'gzip' : null;
  let unzipped: Readable | null = null;
  let nextBytes: () => Promise<IteratorResult<Buffer>>;
  if (compression === 'gzip') {
    async function* compressed() {
      yield* outerHead.chunks;
      if (outerHead.done) return;
      for (let next = await countedNext(); !next.done; next = await countedNext()) yield next.value;
    }
    const limit = createDecompressedLimit(options.maxDecompressedBytes ?? Number.POSITIVE_INFINITY);
    unzipped = pipeline(Readable.from(compressed(), { objectMode: false }), createGunzip(), limit, () => undefined);
    const inner = (unzipped as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    nextBytes = () => inner.next().catch((err: unknown) => Promise.reject(gzipError(err)));
  } else {
    const queued = [...outerHead.chunks];
    let ended = outerHead.done;
    nextBytes = async () => {
      const chunk = queued.shift();
      if (chunk) return { done: false, value: chunk };
      if (ended) return { done: true, value: undefined };
      const next = await countedNext();
      if (next.done) ended = true;
      return next;
    };
  }

  const head = await gather(nextBytes, HEAD_BYTES);
  const headBytes = Buffer.concat(head.chunks);
  if (compression) sniffContainer(headBytes, false);
  const byteEncoding = detectEncoding(headBytes);
  const decoder = createTextDecoder(byteEncoding);
  let first: Buffer | null = headBytes;
  let finished = head.done;
  let ended = false;
  // What went through the decoder so far, while rawAfter may still be called (UTF-8 only).
  let kept: Buffer[] | null = byteEncoding === 'utf-8' ? [] : null;
  let keptBytes = 0;
  /** Set by rawAfter: the stats of the bytes before the raw part, and of every part decoded since. */
  let rawStats: DecodeStats | null = null;
  const decode = (bytes: Buffer): string => {
    if (kept) {
      keptBytes += bytes.length;
      if (keptBytes <= RAW_HEAD_BYTES) kept.push(bytes);
      else kept = null;
    }
    return decoder.write(bytes);
  };

  return {
    get bytesRead() {
      return bytesRead;
    },
    compression,
    byteEncoding,
    stats: () => rawStats ?? decoder.stats(),
    async read() {
      if (ended) return null;
      if (first) {
        const text = decode(first);
        first = null;
        return text;
      }
      if (finished) {
        ended = true;
        const rest = decoder.end();
        return rest === '' ? null : rest;
      }
      const next = await nextBytes();
      if (next.done) {
        finished = true;
        return decoder.end();
      }
      return decode(next.value);
    },
    rawAfter(prefix) {
      if (!kept || first || (prefix !== '' && !prefix.endsWith('\n'))) return null;
      const read = Buffer.concat(kept);
      const found = bytesOf(read, prefix);
      if (found === null) return null;
      kept = null;
      rawStats = found.stats;
      let rest: Buffer | null = read.subarray(found.end);
      let done = finished;
      return {
        async read() {
          if (rest) {
            const bytes = rest;
            rest = null;
            if (bytes.length > 0) return bytes;
          }
          if (done) return null;
          const next = await nextBytes();
          if (next.done) {
            done = true;
            return null;
          }
          return next.value;
        },
      };
    },
    addDecoded(stats) {
      if (rawStats) rawStats = combineDecodeStats(rawStats, stats);
    },
    destroy() {
      unzipped?.destroy();
      stored.destroy();
    },
  };
}

/**
 * Where the bytes that decode to `prefix` end in `bytes`, with their decoding stats: after as many
 * line feeds as it holds (a line feed is one byte in UTF-8 and in Windows-1252, and part of no
 * other character), checked by decoding them (a leading BOM is not part of the prefix). Null when
 * they do not decode to it.
 */
function bytesOf(bytes: Buffer, prefix: string): { end: number; stats: DecodeStats } | null {
  let end = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let at = prefix.indexOf('\n'); at >= 0; at = prefix.indexOf('\n', at + 1)) {
    const lineFeed = bytes.indexOf(0x0a, end);
    if (lineFeed < 0) return null;
    end = lineFeed + 1;
  }
  const { text, stats } = decodeUtf8(bytes.subarray(0, end));
  return stripBom(text) === prefix ? { end, stats } : null;
}

/** A stored input this small (the job's size says) is read whole, when the storage can (readSmall). */
const SMALL_INPUT_BYTES = 64 * 1024;

/** The stored bytes as an async iterable of chunks (a stream, or the whole of a small input as one chunk). */
async function openStored(storage: ObjectStorage, key: string, sizeBytes: number | undefined): Promise<AsyncIterable<Buffer> & { destroy(): void }> {
  if (storage.readSmall && sizeBytes !== undefined && sizeBytes <= SMALL_INPUT_BYTES) {
    const whole = await storage.readSmall(key, SMALL_INPUT_BYTES);
    if (whole) {
      return {
        async *[Symbol.asyncIterator]() {
          if (whole.length > 0) yield whole;
        },
        destroy: () => undefined,
      };
    }
  }
  return storage.read(key);
}

/** Reads chunks until at least `bytes` bytes or the end; done says the end was reached. */
async function gather(next: () => Promise<IteratorResult<Buffer>>, bytes: number): Promise<{ chunks: Buffer[]; done: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < bytes) {
    const result = await next();
    if (result.done) return { chunks, done: true };
    chunks.push(result.value);
    size += result.value.length;
  }
  return { chunks, done: false };
}

/** zlib's complaint about the data becomes the user's problem; anything else stays transient. */
function gzipError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR') {
    return new InputError('input.truncated_gzip', 'The gzip file ends before its data does (the upload or the file is truncated): compress and upload it again.');
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_NEED_DICT') {
    return new InputError('input.corrupt_gzip', 'The gzip file is damaged (its compressed data cannot be read): compress and upload it again.');
  }
  return err;
}
