import type { FieldDefinition } from '../datasets/dataset-definition.js';
import { lookupTable } from '../lookup-table.js';

/**
 * What de-identification does with a field:
 * - keep: not an identifier (gender, state, country, codes, measurements).
 * - remove: a direct identifier or free text; the value becomes null.
 * - pseudonym: a record number (MRN, any id): replaced by a keyed pseudonym so records still link.
 * - date: year only, or shifted per patient (DeidentifyDateMode).
 * - birth_date: as date, and removed altogether (age group 90+) for a patient aged 90 or over.
 * - zip3: first 3 digits of a US ZIP, 000 for small areas; other postal codes removed.
 * - age: a number of years, 90 and over grouped as 90+.
 */
export const DEIDENTIFY_ACTIONS = ['keep', 'remove', 'pseudonym', 'date', 'birth_date', 'zip3', 'age'] as const;
export type DeidentifyAction = (typeof DEIDENTIFY_ACTIONS)[number];

const BY_TYPE: Readonly<Record<string, DeidentifyAction>> = lookupTable({
  id: 'pseudonym',
  name: 'remove',
  name_prefix: 'remove',
  name_suffix: 'remove',
  phone: 'remove',
  email: 'remove',
  ssn: 'remove',
  text: 'remove',
  postal_code: 'zip3',
  date: 'date',
  datetime: 'date',
  gender: 'keep',
  state: 'keep',
  country: 'keep',
  code: 'keep',
  coded: 'keep',
  clinical_code: 'keep',
  code_system: 'keep',
  decimal: 'keep',
  integer: 'keep',
  boolean: 'keep',
  quantity: 'keep',
  unit: 'keep',
});

/** Geographic units smaller than a state, whatever their type (Safe Harbor identifier B). */
const SUB_STATE_PLACE = /(^|_)(address|street|city|town|county|municipality|lat|latitude|lon|lng|longitude)(_|$)/;
/** Record numbers, whatever their type: pseudonymized so records still link. */
const IDENTIFIER_NAME = /(^|_)(id|identifier|mrn)$/;
/** Names of identifying numbers and contacts that a dataset might type as something plain. */
const IDENTIFYING_NAME = /(^|_)(ssn|npi|account|member|policy|license|licence|passport|serial|url|ip|fax|phone|email|name)(_|$)/;
/**
 * Text that names a category from a short list (a code's display, a unit, a care unit, a
 * discharge disposition), not written about a person. Free text (reasons, descriptions, notes,
 * text results) and fine-grained places (room, bed) are not listed and are removed.
 */
const VOCABULARY_TEXT =
  /(^|_)(display|unit|units|system|status|category|class|class_text|priority_text|comparator|event_type|care_unit|ward|service|admit_source|discharge_disposition)$/;
const DATE_TYPE = /date|time|instant/;
const PLAIN_TYPE = /^(number|integer|decimal|quantity|count|boolean|code|coding|unit|percent|float)/;

/**
 * The action for one field of a dataset: by name for places and identifying numbers, then by
 * type. A type this table does not know is kept only when it is numeric, boolean or coded and
 * removed otherwise, so a new dataset cannot leak a field nobody classified.
 */
export function deidentifyAction(field: Pick<FieldDefinition, 'name' | 'type'>): DeidentifyAction {
  const { name } = field;
  const type: string = field.type;
  if (SUB_STATE_PLACE.test(name) && type !== 'state' && type !== 'country') return 'remove';
  if (type === 'id' || IDENTIFIER_NAME.test(name)) return 'pseudonym';
  if (IDENTIFYING_NAME.test(name) && type !== 'code') return 'remove';
  if (DATE_TYPE.test(type)) return /(^|_)birth/.test(name) ? 'birth_date' : 'date';
  if (/(^|_)age(_|$)/.test(name)) return 'age';
  if (type === 'text') return VOCABULARY_TEXT.test(name) ? 'keep' : 'remove';
  return BY_TYPE[type] ?? (PLAIN_TYPE.test(type) ? 'keep' : 'remove');
}
