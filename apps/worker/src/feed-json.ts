import {
  InputError,
  createReferenceResolver,
  flattenRecord,
  indexBundle,
  isFhirResource,
  isJsonObject,
  parseJsonDocument,
  type JsonDocument,
} from '@harmonizer/core';
import type { FeedContext, FeedOutcome, InputHead } from './feed-context.js';
import { createFhirRouting } from './fhir-routing.js';
import { planFromRecords } from './input-plan.js';
import { createRecordBatcher } from './record-batcher.js';
import type { TextSource } from './text-source.js';

/**
 * A JSON document (an array of records, a FHIR Bundle, one resource) has to be parsed whole,
 * so it is read into memory up to this many characters (about as many bytes of UTF-8). Bigger
 * inputs fail with input.too_large_for_json: NDJSON streams at any size.
 */
export const MAX_JSON_DOCUMENT_CHARS = 256 * 1024 * 1024;

/** Records whose keys make the "header" of a plain JSON array (dataset detection and mapping). */
const SAMPLE_RECORDS = 1000;

/**
 * A whole JSON document. A Bundle's `urn:uuid:` references are resolved against its own
 * entries; FHIR resources are routed by type; plain records go to one dataset detected from
 * their keys. Row numbers are 1-based positions in the array (entries of a Bundle).
 */
export async function feedJson(ctx: FeedContext, head: InputHead): Promise<FeedOutcome> {
  const doc = parseJsonDocument(await readWhole(ctx.source, head, ctx.maxJsonDocumentChars));
  const fhir = doc.kind === 'bundle' || doc.kind === 'resource' || doc.items.some(isFhirResource);
  const every = Math.max(1, ctx.chunkRows);
  if (fhir) {
    const routing = createFhirRouting(ctx);
    const refs = createReferenceResolver(doc.kind === 'bundle' ? indexBundle(doc.items, doc.fullUrls ?? []) : undefined);
    for (let i = 0; i < doc.items.length; i++) {
      const item = doc.items[i];
      if (doc.kind !== 'bundle' && !isJsonObject(item)) await ctx.merger.rejectUnrouted(i + 1, 'the item is not a JSON object');
      else await routing.route(item, i + 1, refs);
      if ((i + 1) % every === 0 && !(await ctx.keepGoing())) return 'cancelled';
    }
    await routing.flush();
    return {
      format: doc.kind === 'bundle' ? 'fhir-bundle' : 'fhir-json',
      records: doc.items.length,
      harmonizedResources: routing.harmonized,
      skippedResources: routing.skipped,
    };
  }
  const plan = planFromRecords(ctx.job, sampleKeys(doc), doc.items.slice(0, SAMPLE_RECORDS).map(lineOf));
  const batcher = createRecordBatcher(ctx, () => plan);
  for (let i = 0; i < doc.items.length; i++) {
    // A non-object item goes through as it is: the chunk rejects its row as row.malformed.
    await batcher.add(plan.dataset, lineOf(doc.items[i]), i + 1);
    if ((i + 1) % every === 0 && !(await ctx.keepGoing())) return 'cancelled';
  }
  await batcher.flush();
  return { format: 'json', records: doc.items.length };
}

async function readWhole(source: TextSource, head: InputHead, maxChars: number): Promise<string> {
  const parts = [head.text];
  let size = head.text.length;
  for (let piece = head.ended ? null : await source.read(); ; piece = await source.read()) {
    if (size > maxChars) {
      throw new InputError(
        'input.too_large_for_json',
        `The JSON document is larger than ${formatSize(maxChars)}, the most read whole: upload it as NDJSON ` +
          '(one record or FHIR resource per line), which streams at any size.',
      );
    }
    if (piece === null) break;
    size += piece.length;
    parts.push(piece);
  }
  return parts.join('');
}

const formatSize = (chars: number) => (chars >= 1024 * 1024 ? `${Math.round(chars / 1024 / 1024)} MiB` : `${chars} characters`);

/** The item as one NDJSON line; one nested too deep to write ('null') is rejected as row.malformed. */
function lineOf(item: unknown): string {
  try {
    return JSON.stringify(item ?? null);
  } catch {
    return 'null';
  }
}

function sampleKeys(doc: JsonDocument): string[] {
  const keys = new Set<string>();
  for (const item of doc.items.slice(0, SAMPLE_RECORDS)) {
    if (!isJsonObject(item)) continue;
    try {
      for (const key of Object.keys(flattenRecord(item))) keys.add(key);
    } catch {
      // Nested too deep to write back: its row is rejected when processed; its keys are no header.
    }
  }
  return [...keys];
}
