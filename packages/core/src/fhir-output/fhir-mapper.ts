import { DATASETS, isDatasetName } from '../datasets/registry.js';
import { fhirId, uuidV5 } from './fhir-id.js';
import type { CanonicalRecord, FhirMeta } from './fhir-types.js';

/** What a mapper may use besides the record: where it came from, and how ids are minted. */
export interface MapperContext {
  meta: FhirMeta;
  dataset: string;
  /**
   * The id for a resource: from its canonical identifier when it has one; else from the
   * dataset's natural key when the record fills it; else from the record's whole content. So
   * re-sending a file gives the same ids (a FHIR server updates instead of duplicating), and
   * within a job ids are unique because dedup keeps one record per key and per content.
   * `part` tells apart several resources made from one row (a wide vitals row).
   */
  idFor(resourceType: string, sourceId: string | undefined, part?: string): string;
}

/** A resource without meta (added by toFhirResources). */
export interface ResourceBody {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

/** One canonical record -> its resources (usually one; a wide vitals row gives one per vital). */
export type FhirMapper = (record: CanonicalRecord, ctx: MapperContext) => ResourceBody | ResourceBody[];

/** The natural key's values joined, or null when the dataset has none or a key field (not an optional one) is empty. */
function naturalKey(dataset: string, record: CanonicalRecord): string | null {
  if (!isDatasetName(dataset)) return null;
  const { naturalKey: fields, optionalKeyFields: optional = [] } = DATASETS[dataset];
  const values: string[] = [];
  for (const field of fields) {
    const value = record[field];
    if (typeof value !== 'string' || value === '') {
      if (!optional.includes(field)) return null;
      values.push('');
    } else values.push(value);
  }
  return values.length > 0 ? JSON.stringify(values) : null;
}

/** The record's values (the source row number aside), for an id that only the same content gets. */
function content(record: CanonicalRecord): string {
  const { _row: _ignored, ...values } = record;
  return JSON.stringify(values);
}

export function createMapperContext(dataset: string, meta: FhirMeta, record: CanonicalRecord = {}): MapperContext {
  return new RecordContext(meta, dataset, record);
}

/** A class rather than an object literal with a closure: one small object per record mapped. */
class RecordContext implements MapperContext {
  constructor(
    readonly meta: FhirMeta,
    readonly dataset: string,
    private readonly record: CanonicalRecord,
  ) {}

  idFor(resourceType: string, sourceId: string | undefined, part?: string): string {
    if (sourceId) return fhirId(resourceType, part ? `${sourceId}/${part}` : sourceId);
    const key = naturalKey(this.dataset, this.record);
    const base = uuidV5(key ? `${resourceType}/${this.dataset}/key/${key}` : `${resourceType}/${this.dataset}/content/${content(this.record)}`);
    return part ? uuidV5(`${base}/${part}`) : base;
  }
}
