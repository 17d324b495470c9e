import { createChunkCutter, MAX_CHUNK_BYTES } from './chunk-cutter.js';
import type { FeedContext, FeedOutcome, InputHead } from './feed-context.js';
import { planCsvInput } from './input-plan.js';
import type { TextSource } from './text-source.js';

/**
 * Delimited text: one dataset, planned from the header, cut into chunks of whole records and
 * numbered before any parsing (see chunk-cutter), streamed to the pool as the file is read.
 */
export async function feedCsv(ctx: FeedContext, head: InputHead): Promise<FeedOutcome> {
  const { dialect, plan } = planCsvInput(ctx.job, head.text, head.ended);
  await ctx.merger.openDataset(plan);
  const cutter = createChunkCutter(dialect.delimiter, ctx.chunkRows, MAX_CHUNK_BYTES);
  const base = {
    dataset: plan.dataset,
    delimiter: dialect.delimiter,
    mapping: plan.mapping,
    options: plan.options,
    referenceDate: ctx.referenceDate,
    ...(plan.hints ? { hints: plan.hints } : {}),
  };
  let estimated = false;
  const submit = async (bytes: Uint8Array | null) => {
    const chunks = bytes === null ? [cutter.flush()] : cutter.push(bytes);
    for (const chunk of chunks) {
      if (!chunk) continue;
      if (!estimated && bytes !== null) {
        // A full first chunk tells the bytes per record: the file's size gives their number,
        // and the duplicate index is made that big at once instead of growing step by step.
        // (A gzip file's stored size is its compressed one: the estimate is low, the index grows.)
        estimated = true;
        ctx.merger.expectRecords(plan.dataset, Math.ceil(ctx.job.sizeBytes / (chunk.bytes.length / chunk.records)));
      }
      await ctx.submit({ ...base, bytes: chunk.bytes, firstRow: chunk.firstRow });
    }
  };

  const next = dataBytes(ctx.source, head, dialect.dataOffset);
  for (let piece = await next(); piece !== null; piece = await next()) {
    await submit(piece);
    if (!(await ctx.keepGoing())) return 'cancelled';
  }
  await submit(null);
  return { format: 'csv', dialect };
}

/**
 * The data part of the input as bytes, piece by piece: the file's own bytes when it is UTF-8
 * (or Windows-1252: the threads decode them, see TextSource.rawAfter), so the main thread
 * neither decodes nor holds the text; else (UTF-16) the decoded text, encoded as UTF-8.
 */
function dataBytes(source: TextSource, head: InputHead, dataOffset: number): () => Promise<Uint8Array | null> {
  const raw = source.rawAfter(head.text.slice(0, dataOffset));
  if (raw) return () => raw.read();
  let first: string | null = head.text.slice(dataOffset);
  let ended = head.ended;
  return async () => {
    for (;;) {
      let text = first;
      first = null;
      if (text === null) {
        if (ended) return null;
        text = await source.read();
        if (text === null) {
          ended = true;
          return null;
        }
      }
      if (text !== '') return Buffer.from(text);
    }
  };
}
