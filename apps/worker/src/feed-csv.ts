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
  const submit = async (text: string | null) => {
    const chunks = text === null ? [cutter.flush()] : cutter.push(text);
    for (const chunk of chunks) {
      if (chunk) await ctx.submit({ ...base, text: chunk.text, firstRow: chunk.firstRow });
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
