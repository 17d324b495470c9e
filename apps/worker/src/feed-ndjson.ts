import { createLineSplitter, createReferenceResolver, flattenRecord, isFhirResource, isJsonObject } from '@harmonizer/core';
import type { FeedContext, FeedOutcome, InputHead } from './feed-context.js';
import { createFhirRouting } from './fhir-routing.js';
import { planFromRecords } from './input-plan.js';
import { createRecordBatcher } from './record-batcher.js';

/** Records whose keys make the "header" of a plain NDJSON file (dataset detection and mapping). */
const SAMPLE_RECORDS = 1000;

const parse = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

/**
 * NDJSON, streamed line by line (row = line number; blank lines skipped). FHIR Bulk Data (the
 * first record has a resourceType) is routed resource by resource, each line parsed here; a
 * line that is not JSON is a job-level reject. Plain records keep their lines as they are: the
 * dataset and mapping come from the keys of the first records, and the pool threads parse.
 */
export async function feedNdjson(ctx: FeedContext, head: InputHead): Promise<FeedOutcome> {
  const splitter = createLineSplitter();
  const headLines = head.ended ? [...splitter.push(head.text), ...splitter.flush()] : splitter.push(head.text);
  const fhir = isFhirResource(parse(headLines.find((line) => line.trim() !== '') ?? ''));
  const refs = createReferenceResolver();
  const routing = fhir ? createFhirRouting(ctx) : null;
  const plan = routing ? null : planFromRecords(ctx.job, sampleKeys(headLines), sampleLines(headLines));
  const plain = plan ? createRecordBatcher(ctx, () => plan) : null;

  let lineNumber = 0;
  let blankLines = 0;
  let records = 0;
  const take = async (lines: string[]) => {
    for (const line of lines) {
      lineNumber++;
      if (line.trim() === '') {
        blankLines++;
        continue;
      }
      records++;
      if (plain && plan) {
        await plain.add(plan.dataset, line, lineNumber);
        continue;
      }
      const value = parse(line);
      if (value === undefined) await ctx.merger.rejectUnrouted(lineNumber, 'the line is not valid JSON');
      else await routing?.route(value, lineNumber, refs);
    }
  };

  await take(headLines);
  if (!head.ended) {
    for (let piece = await ctx.source.read(); piece !== null; piece = await ctx.source.read()) {
      await take(splitter.push(piece));
      if (!(await ctx.keepGoing())) return 'cancelled';
    }
    await take(splitter.flush());
  }
  await (routing ?? plain)?.flush();
  return {
    format: fhir ? 'fhir-ndjson' : 'ndjson',
    records,
    blankLines,
    ...(routing ? { harmonizedResources: routing.harmonized, skippedResources: routing.skipped } : {}),
  };
}

const sampleLines = (lines: string[]) => lines.filter((line) => line.trim() !== '').slice(0, SAMPLE_RECORDS);

/** Keys of the first records, flattened as the chunk parser flattens them, in order of appearance. */
function sampleKeys(lines: string[]): string[] {
  const keys = new Set<string>();
  let seen = 0;
  for (const line of lines) {
    if (seen >= SAMPLE_RECORDS) break;
    const value = parse(line);
    if (!isJsonObject(value)) continue;
    seen++;
    try {
      for (const key of Object.keys(flattenRecord(value))) keys.add(key);
    } catch {
      // Nested too deep to write back: its row is rejected when processed; its keys are no header.
    }
  }
  return [...keys];
}
