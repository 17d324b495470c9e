import { getDataset, isDatasetName } from '../datasets/registry.js';
import type { JsonObject } from '../formats/parse-json-document.js';
import type { DatasetName } from '../types.js';
import { FHIR_ROUTES } from './fhir-routes.js';
import { obj, str } from './fhir-values.js';
import type { ReferenceResolver } from './reference-resolver.js';

export type RoutedResource =
  /** One record per dataset entry (a Claim gives its claim and one line per item). */
  | { records: { dataset: DatasetName; record: Record<string, string | null> }[] }
  /** Not harmonized: `resourceType` for the report's skipped counts ('(none)' for a non-resource). */
  | { skipped: string };

/** A JSON value is a FHIR resource when it is an object with a resourceType. */
export const isFhirResource = (value: unknown): value is JsonObject => str(obj(value)?.resourceType) !== null;

/**
 * Sends one FHIR resource to the dataset(s) it belongs to, with its flat record(s).
 * Resources of a type no dataset takes (ExplanationOfBenefit, Provenance...), of a dataset the
 * engine does not have, or of another dataset than the one the user named, are skipped and
 * counted by type, never dropped silently.
 */
export function routeResource(value: unknown, refs: ReferenceResolver, only?: string | null): RoutedResource {
  const resource = obj(value);
  const resourceType = str(resource?.resourceType);
  if (!resource || resourceType === null) return { skipped: '(none)' };
  const route = FHIR_ROUTES[resourceType];
  if (!route) return { skipped: resourceType };
  const records = route(resource, refs).filter(
    (r): r is { dataset: DatasetName; record: Record<string, string | null> } =>
      isDatasetName(r.dataset) && (!only || r.dataset === only),
  );
  for (const { dataset, record } of records) dropEchoedText(dataset, record);
  return records.length > 0 ? { records } : { skipped: resourceType };
}

/**
 * A coded field writes its source spelling to its textField itself (encounter class -> class_text),
 * so the resource's display for it would land under extras as a second copy: it is left out
 * when the code is there.
 */
function dropEchoedText(dataset: DatasetName, record: Record<string, string | null>): void {
  for (const field of getDataset(dataset).fields) {
    if (field.type === 'coded' && field.textField && record[field.name] != null) delete record[field.textField];
  }
}
