import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decodeUtf8, stripBom } from '@harmonizer/core';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTextSource, type TextSource } from './text-source.js';

let root: string;
let storage: ObjectStorage;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-text-source-'));
  storage = createLocalStorage(root);
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

let n = 0;
/** Stores `bytes` and opens them; reads text until at least `chars` characters (or the end). */
async function opened(bytes: Uint8Array, chars: number): Promise<{ source: TextSource; head: string }> {
  const key = `uploads/text-source-${n++}`;
  // Many small pieces, as a stream of a slow upload would give.
  await storage.put(key, Readable.from(Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, i) => Buffer.from(bytes.subarray(i * 1000, (i + 1) * 1000)))));
  const source = await openTextSource(storage, key);
  let head = '';
  while (head.length < chars) {
    const piece = await source.read();
    if (piece === null) break;
    head += piece;
  }
  return { source, head: stripBom(head) };
}

async function rest(reader: { read(): Promise<Uint8Array | null> }): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let piece = await reader.read(); piece !== null; piece = await reader.read()) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

const LINES = Array.from({ length: 3000 }, (_, i) => `P${i},Zoë ${i},"two\r\nlines",São Paulo\r\n`);

describe('TextSource.rawAfter', () => {
  it.each([
    ['UTF-8', Buffer.from(LINES.join(''))],
    ['UTF-8 with a BOM', Buffer.from(`\uFEFF${LINES.join('')}`)],
    ['gzip', gzipSync(Buffer.from(LINES.join('')))],
  ])('gives the %s file\'s bytes after the first lines, then the rest as read', async (_name, bytes) => {
    const { source, head } = await opened(bytes, 5000);
    const lines = head.split('\r\n').length - 1;
    const prefix = LINES.slice(0, Math.min(lines, 7)).join('');
    expect(head.startsWith(prefix)).toBe(true);
    const reader = source.rawAfter(prefix);
    expect(reader).not.toBeNull();
    expect((await rest(reader!)).toString('utf8')).toBe(LINES.join('').slice(prefix.length));
    source.destroy();
  });

  it('counts the header\'s decoding once and each part\'s as the parts report them', async () => {
    const header = iconv.encode('MRN,Prénom,Ville\n', 'win1252');
    const data = Buffer.concat([Buffer.from('P1,Zoë,Malmö\n'), iconv.encode('P2,Zoë,Zürich\n', 'win1252')]);
    const { source, head } = await opened(Buffer.concat([header, data]), 10);
    const reader = source.rawAfter(head.slice(0, head.indexOf('\n') + 1));
    const raw = await rest(reader!);
    expect(raw).toEqual(data);
    source.addDecoded(decodeUtf8(raw).stats);
    // é of the header (decoded once, on this side), ë and ü of the second row: one byte each in Windows-1252.
    expect(source.stats()).toEqual({ encoding: 'utf-8+windows-1252', fallbackBytes: 3, multiByte: true });
    source.destroy();
  });

  it('gives nothing for UTF-16, for a prefix that does not end a line or is not the text read, or past its kept bytes', async () => {
    const utf16 = await opened(iconv.encode(LINES.join(''), 'utf16le', { addBOM: true }), 100);
    expect(utf16.source.rawAfter(LINES[0]!)).toBeNull();
    const utf8 = await opened(Buffer.from(LINES.join('')), 100);
    expect(utf8.source.rawAfter(LINES[0]!.slice(0, -1))).toBeNull();
    expect(utf8.source.rawAfter(LINES[1]!)).toBeNull();
    // More than RAW_HEAD_BYTES (1 MiB) read as text: its bytes were not kept.
    const big = Buffer.from(LINES.join('').repeat(20));
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const long = await opened(big, big.length);
    expect(long.source.rawAfter(LINES[0]!)).toBeNull();
    for (const s of [utf16, utf8, long]) s.source.destroy();
  });

  it('reads a small input whole when the storage can (no stream), and a larger or unknown-size one as a stream', async () => {
    const body = Buffer.from(LINES.slice(0, 50).join(''));
    const key = `uploads/text-source-${n++}`;
    await storage.put(key, body);
    const calls: string[] = [];
    const spy: ObjectStorage = {
      ...storage,
      read: (k, o) => (calls.push('read'), storage.read(k, o)),
      readSmall: (k, max) => (calls.push('readSmall'), storage.readSmall!(k, max)),
    };
    const whole = async (sizeBytes?: number) => {
      const source = await openTextSource(spy, key, sizeBytes === undefined ? {} : { sizeBytes });
      let text = '';
      for (let piece = await source.read(); piece !== null; piece = await source.read()) text += piece;
      source.destroy();
      return text;
    };
    expect(await whole(body.length)).toBe(body.toString('utf8'));
    expect(calls).toEqual(['readSmall']);
    calls.length = 0;
    expect(await whole()).toBe(body.toString('utf8'));
    expect(await whole(1024 * 1024)).toBe(body.toString('utf8'));
    expect(calls).toEqual(['read', 'read']);
  });
});
