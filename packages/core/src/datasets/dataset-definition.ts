import type { CodeSystem } from '../codes/code-systems.js';
import type { DatasetName, Severity } from '../types.js';
import type { VocabularyName } from '../vocab/vocabularies.js';

/** How a field's raw text is standardized; each type has one standardizer (standardize/standardizers.ts). */
export const FIELD_TYPES = [
  'id',
  'text',
  'name',
  'name_prefix',
  'name_suffix',
  'date',
  'gender',
  'phone',
  'email',
  'postal_code',
  'state',
  'country',
  'ssn',
  'code',
  /** ISO 8601 date-time, keeping the time and UTC offset as written; a date alone stays a date. */
  'datetime',
  'decimal',
  'integer',
  /** true / false. */
  'boolean',
  /** A number with a UCUM unit, converted to the field's canonical unit (see FieldDefinition.unit). */
  'quantity',
  /** A UCUM unit (its own column; read by the quantity field that names it in unitField). */
  'unit',
  /** A code of a code system named in FieldDefinition.codeSystems (LOINC, ICD, SNOMED CT, NDC...). */
  'clinical_code',
  /** A code system name or URI (a SYSTEM column), stored as the FHIR system URI. */
  'code_system',
  /** A value mapped to a FHIR value set (FieldDefinition.vocabulary). */
  'coded',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldDefinition {
  /** Canonical name: snake_case, also the CSV column and JSON key. */
  name: string;
  type: FieldType;
  /** An empty value rejects the row (`required.missing`), and the header must have the column. */
  required: boolean;
  /** Header spellings seen in the wild; compared after normalization (case, spaces, punctuation). */
  synonyms: readonly string[];
  /** Where the value lands in the FHIR R4 resource the dataset is aligned with. */
  fhirPath: string;
  /** coded: the vocabulary the values are mapped to (vocab/vocabularies.ts). */
  vocabulary?: VocabularyName;
  /** clinical_code: the code systems accepted, in the order tried when neither the column nor the row says which. */
  codeSystems?: readonly CodeSystem[];
  /** clinical_code: the field that receives the code system URI (several code fields may share one). */
  systemField?: string;
  /** quantity: the canonical UCUM unit values are converted to (body_weight: kg). */
  unit?: string;
  /** quantity: the field holding the value's unit; read before the value, rewritten after a conversion. */
  unitField?: string;
  /** quantity: the field receiving a comparator written before the number (`<0.01` -> `<`). */
  comparatorField?: string;
  /**
   * quantity, decimal, integer, coded: the field receiving text that is not a value of the type
   * (`NEG`, `See Comments`, the range `1-2`, or the source spelling of a coded value). Without
   * it such text is kept under extras with a warning.
   */
  textField?: string;
  /** quantity: the analyte whose plausible range applies (units/plausibility.ts), for fixed-analyte fields. */
  analyte?: string;
  /** quantity: fields naming the analyte per row (a LOINC code, then a label), for long-form observations. */
  analyteFrom?: readonly string[];
  /**
   * date, datetime: text with no digit in it ("Pre-PQ Process", "Date Not Captured") is a
   * placeholder, kept under extras with date.placeholder (a warning), not a bad date (an error).
   */
  placeholders?: boolean;
  /** Values that mean "none" for this field ('0' for an insurance id or an NDC), beside the usual markers. */
  missingValues?: readonly string[];
  /** Usual missing-value markers that are real values for this field (`NONE` as a urinalysis result). */
  notMissing?: readonly string[];
}

/** A standardized record: canonical field -> value, null when empty. */
export type StandardRecord = Readonly<Record<string, string | null>>;

export interface RuleContext {
  /** ISO date of "today" (see ChunkTask.referenceDate); rules that need it are skipped without it. */
  referenceDate: string | undefined;
}

/**
 * Versions of one logical record in the same file (MIMIC INPUTEVENTS_MV orders that were
 * rewritten or changed). Rows with equal `groupBy` values are versions of one record; a row
 * whose `statusField` value (compared case-insensitively) is in `supersededStatuses` says a
 * newer version replaced it. See AcceptedRecord.version for what the dedup step does.
 */
export interface VersioningRule {
  groupBy: readonly string[];
  /** Fields ordering the versions (ISO date-times compare as strings), newest last. */
  orderBy: readonly string[];
  statusField: string;
  supersededStatuses: readonly string[];
}

/** A check across fields of one standardized record. Messages never contain values. */
export interface RecordRule {
  rule: string;
  severity: Severity;
  /** The field the issue is reported against. */
  field: string;
  message: string;
  violated(record: StandardRecord, ctx: RuleContext): boolean;
  /**
   * Date fields the rule compares: when one of them was written with a two-digit year, the
   * message says so and names options.two_digit_year_base (a wrong century is the likely cause).
   */
  dateFields?: readonly string[];
}

export interface DatasetDefinition {
  name: DatasetName;
  description: string;
  /** The FHIR R4 resource type the canonical model follows. */
  fhirResource: string;
  /** In output column order. */
  fields: readonly FieldDefinition[];
  /** Default dedup key: canonical fields that identify one real-world record. */
  naturalKey: readonly string[];
  /**
   * Fields of naturalKey that may be empty: they tell apart records that share the other key
   * fields when filled (the organism and isolate of a microbiology result), and an empty one is
   * a value, not a missing key. Any other empty key field leaves the row without a key.
   */
  optionalKeyFields?: readonly string[];
  /**
   * The header must map at least one of these sets of fields, or the file cannot be
   * harmonized as this dataset (input.required_columns_missing). Fields with `required` are
   * added to every set.
   */
  requiredColumnsAnyOf: readonly (readonly string[])[];
  /**
   * Headers that look like a canonical field but are not one (COUNTY is not country): never
   * matched fuzzily, kept under extras unless named exactly or as a synonym.
   */
  knownExtras: readonly string[];
  rules: readonly RecordRule[];
  /**
   * Words in file names that suggest this dataset ("admissions", "diagnoses"): the tie-breaker
   * when several datasets explain a header equally well (Synthea's conditions.csv and
   * procedures.csv have the same columns).
   */
  fileNameHints?: readonly string[];
  /** Fills fields derivable from others after standardization (appointment status from no_show). */
  derive?(record: Record<string, string | null>, ctx: RuleContext): void;
  versioning?: VersioningRule;
}
