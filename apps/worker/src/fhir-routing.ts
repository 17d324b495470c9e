import { routeResource, type ReferenceResolver } from '@harmonizer/core';
import type { FeedContext } from './feed-context.js';
import { planFhirDataset } from './input-plan.js';
import { createRecordBatcher, type RecordBatcher } from './record-batcher.js';

export interface FhirRouting {
  /** Routes one resource (any JSON value) found at `row`; refs resolve its references. */
  route(value: unknown, row: number, refs: ReferenceResolver): Promise<void>;
  flush(): Promise<void>;
  /** resourceType -> resources not harmonized. */
  readonly skipped: Record<string, number>;
  /** Resources that gave at least one record (a Claim gives its claim and its lines). */
  readonly harmonized: number;
}

/**
 * FHIR resources to datasets: each resource goes to the dataset of its type (one batch per
 * dataset), resources no dataset takes are counted by type for the report. A file none of whose
 * resources a dataset takes (only Devices) completes with no dataset: the report accounts for
 * every resource as skipped.
 */
export function createFhirRouting(ctx: FeedContext): FhirRouting {
  const batcher: RecordBatcher = createRecordBatcher(ctx, (dataset) => planFhirDataset(ctx.job, dataset));
  const skipped: Record<string, number> = {};
  let harmonized = 0;
  return {
    skipped,
    get harmonized() {
      return harmonized;
    },
    async route(value, row, refs) {
      const routed = routeResource(value, refs, ctx.job.dataset);
      if ('skipped' in routed) {
        skipped[routed.skipped] = (skipped[routed.skipped] ?? 0) + 1;
        return;
      }
      harmonized++;
      for (const { dataset, record } of routed.records) await batcher.add(dataset, JSON.stringify(record), row);
    },
    flush: () => batcher.flush(),
  };
}
