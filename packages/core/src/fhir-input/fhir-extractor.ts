import type { JsonObject } from '../formats/parse-json-document.js';
import type { ReferenceResolver } from './reference-resolver.js';

/**
 * One FHIR R4 resource -> one flat record keyed by canonical field names of the dataset it
 * belongs to (null when the resource has no value). Keys that are not fields of the dataset
 * are kept under the record's extras by processChunk, so nothing an extractor reads is lost.
 */
export type FhirExtractor = (resource: JsonObject, refs: ReferenceResolver) => Record<string, string | null>;
