import { createChunkCutter, MAX_CHUNK_CHARS } from './chunk-cutter.js';
import type { FeedContext, FeedOutcome, InputHead } from './feed-context.js';
import { planCsvInput } from './input-plan.js';

/**
 * Delimited text: one dataset, planned from the header, cut into chunks of whole records and
 * numbered before any parsing (see chunk-cutter), streamed to the pool as the file is read.
 */
export async function feedCsv(ctx: FeedContext, head: InputHead): Promise<FeedOutcome> {
  const { dialect, plan } = planCsvInput(ctx.job, head.text, head.ended);
  await ctx.merger.openDataset(plan);
  const cutter = createChunkCutter(dialect.delimiter, ctx.chunkRows, MAX_CHUNK_CHARS);
  const base = {
    dataset: plan.dataset,
    delimiter: dialect.delimiter,
    mapping: plan.mapping,
    options: plan.options,
    referenceDate: ctx.referenceDate,
    ...(plan.hints ? { hints: plan.hints } : {}),
  };
  let estimated = false;
  const submit = async (text: string | null) => {
    const chunks = text === null ? [cutter.flush()] : cutter.push(text);
    for (const chunk of chunks) {
      if (!chunk) continue;
      if (!estimated && text !== null) {
        // A full first chunk tells the bytes per record: the file's size gives their number,
        // and the duplicate index is made that big at once instead of growing step by step.
        // (A gzip file's stored size is its compressed one: the estimate is low, the index grows.)
        estimated = true;
        ctx.merger.expectRecords(plan.dataset, Math.ceil(ctx.job.sizeBytes / (Buffer.byteLength(chunk.text) / chunk.records)));
      }
      await ctx.submit({ ...base, text: chunk.text, firstRow: chunk.firstRow });
    }
  };

  await submit(head.text.slice(dialect.dataOffset));
  if (!head.ended) {
    for (let piece = await ctx.source.read(); piece !== null; piece = await ctx.source.read()) {
      await submit(piece);
      if (!(await ctx.keepGoing())) return 'cancelled';
    }
  }
  await submit(null);
  return { format: 'csv', dialect };
}
