export * from './types.js';
export { InputError, INPUT_ERROR_CODES, type InputErrorCode } from './input-error.js';
export { stripBom } from './formats/strip-bom.js';
export { sniffCsv, DELIMITERS } from './formats/sniff-csv.js';
export { createRecordSplitter, type RecordSplitter } from './formats/record-splitter.js';
export { countRecords, createScanState, scanRecordBytes, type ScanState } from './formats/scan-records.js';
export { sniffContainer, type Container } from './formats/sniff-container.js';
export { detectEncoding, BYTE_ENCODINGS, type ByteEncoding } from './formats/detect-encoding.js';
export { combineDecodeStats, createTextDecoder, decodeUtf8, TEXT_ENCODINGS, type TextEncoding, type DecodeStats, type StreamTextDecoder } from './formats/text-decoder.js';
export { detectFormat, INPUT_FORMATS, type InputFormat } from './formats/detect-format.js';
export { createLineSplitter, type LineSplitter } from './formats/line-splitter.js';
export { parseJsonDocument, isJsonObject, type JsonDocument, type JsonObject } from './formats/parse-json-document.js';
export { flattenRecord } from './formats/flatten-record.js';
export { parseRecords } from './chunk/parse-records.js';
export { parseJsonRecords } from './chunk/parse-json-records.js';
export { routeResource, isFhirResource, type RoutedResource } from './fhir-input/route-resource.js';
export { createReferenceResolver, indexBundle, type ReferenceResolver } from './fhir-input/reference-resolver.js';
export { DATASETS, getDataset, isDatasetName } from './datasets/registry.js';
export type {
  DatasetDefinition,
  FieldDefinition,
  FieldType,
  RecordRule,
  StandardRecord,
} from './datasets/dataset-definition.js';
export { detectDataset, resolveDataset, rankDatasets, type DetectOptions, type DetectionCandidate } from './datasets/detect-dataset.js';
export { matchHeaders } from './mapping/match-headers.js';
export { parseOptions, OptionsError } from './options/parse-options.js';
export { validateOptionsForDataset } from './options/validate-options-for-dataset.js';
export { RULES, type RuleCode } from './validate/rules.js';
export { csvHeader } from './writers/csv-line.js';
export { processChunk, type AcceptedSink } from './process-chunk.js';
export { createReportBuilder, type ReportBuilder, type ReportBuilderInput, type Duplicate, type Superseded } from './report/report-builder.js';
export type { Report } from './report/report.js';
export { mergeStats, emptyStats, withoutProfile } from './report/merge-stats.js';
export { checkQualityGate } from './report/quality-gate.js';
export { qualityScore, overallQuality, QUALITY_FORMULA, type QualityScore } from './report/quality-score.js';
export type { FieldProfileReport } from './report/profile-summary.js';
export { toFhirResource, toFhirResources, FHIR_MAPPERS, FHIR_OUTPUT_TYPES } from './fhir-output/to-fhir-resource.js';
export { FHIR_RESOURCE_SCHEMAS } from './fhir-output/fhir-schemas.js';
export { fhirId, fhirSource } from './fhir-output/fhir-id.js';
export type { FhirResource, FhirMeta, CanonicalRecord } from './fhir-output/fhir-types.js';
export { toOperationOutcome, type RejectedRow } from './writers/operation-outcome.js';
export {
  describeDataset,
  describeDatasets,
  engineRules,
  type DatasetDescription,
  type EngineRule,
} from './writers/dataset-catalog.js';
export { renderDatasetsMarkdown } from './writers/datasets-markdown.js';
export { parseDate } from './standardize/parse-date.js';
export { parseDateTime, type ParsedDateTime } from './standardize/parse-date-time.js';
export { inferColumnFormats } from './standardize/infer-column-formats.js';
export { VOCABULARIES, VOCABULARY_NAMES, lookupTerm, type VocabularyName } from './vocab/vocabularies.js';
export { CODE_SYSTEMS, CODE_SYSTEM_URIS, type CodeSystem } from './codes/code-systems.js';
export { ANALYTES, findAnalyte, type Analyte } from './units/plausibility.js';
export { CONVERSIONS } from './units/conversions.js';
export { normalizeUnit } from './units/ucum.js';
export { recordVersion } from './dedup/record-version.js';
export { createDeduplicator, type Deduplicator, type DuplicateOf } from './dedup/deduplicator.js';
export { keyWords } from './dedup/key-bits.js';
export { harmonizeText, type HarmonizeTextInput, type HarmonizeTextResult } from './harmonize-text.js';
export { deidentifyRecord, AGE_90_PLUS, type DeidentifyOptions, type DeidentifiedRecord } from './deidentify/deidentify-record.js';
export { deidentifyAction, DEIDENTIFY_ACTIONS, type DeidentifyAction } from './deidentify/field-policy.js';
export { RESTRICTED_ZIP3 } from './deidentify/restricted-zip3.js';
