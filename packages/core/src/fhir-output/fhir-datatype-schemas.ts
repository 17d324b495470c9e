/**
 * JSON Schemas (2020-12) of the FHIR R4 datatypes the mappers write, from the R4 base
 * definitions: primitive regexes, required elements, and the element invariants that bite
 * (ref-1, qty-3). Together with fhir-resource-schemas.ts they are the structural check the
 * tests run every generated resource through; no external validator is needed.
 */
type Schema = Record<string, unknown>;

export const FHIR_PRIMITIVES = {
  id: { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$' },
  string: { type: 'string', pattern: '^[\\s\\S]*\\S[\\s\\S]*$' },
  code: { type: 'string', pattern: '^[^\\s]+( [^\\s]+)*$' },
  uri: { type: 'string', pattern: '^\\S+$' },
  decimal: { type: 'number' },
  positiveInt: { type: 'integer', minimum: 1 },
  boolean: { type: 'boolean' },
  date: {
    type: 'string',
    pattern: '^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$',
  },
  dateTime: {
    type: 'string',
    pattern:
      '^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])' +
      '(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$',
  },
} as const satisfies Record<string, Schema>;

const p = FHIR_PRIMITIVES;
const strict = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  minProperties: 1,
});
export const arrayOf = (items: Schema, minItems = 1): Schema => ({ type: 'array', items, minItems });
export const enumOf = (...values: string[]): Schema => ({ type: 'string', enum: values });

const VALUE_TYPES: Record<string, Schema> = {
  valueString: p.string,
  valueDecimal: p.decimal,
  valueInteger: { type: 'integer' },
  valueBoolean: p.boolean,
  valueDateTime: p.dateTime,
  valueDate: p.date,
  valueCode: p.code,
};
/** ext-1: an extension has a value or nested extensions, not both; nested ones are simple. */
const SimpleExtension = {
  type: 'object',
  properties: { url: p.uri, ...VALUE_TYPES },
  required: ['url'],
  additionalProperties: false,
  minProperties: 2,
  maxProperties: 2,
};
export const Extension: Schema = {
  type: 'object',
  properties: { url: p.uri, ...VALUE_TYPES, valueReference: { type: 'object' }, extension: arrayOf(SimpleExtension) },
  required: ['url'],
  additionalProperties: false,
  minProperties: 2,
  maxProperties: 2,
};
const extension = arrayOf(Extension);
/** A primitive given only as extensions (`_created`): how a required element the source lacks is written. */
export const PrimitiveExtension = strict({ extension }, ['extension']);

export const Coding = strict({ system: p.uri, code: p.code, display: p.string });
export const CodeableConcept = strict({ extension, coding: arrayOf(Coding), text: p.string });
export const Identifier = strict({ use: enumOf('usual', 'official', 'temp', 'secondary', 'old'), type: CodeableConcept, system: p.uri, value: p.string });
/** At least one of reference, identifier, display, or a data-absent extension. */
export const Reference = {
  ...strict({ extension, reference: p.string, identifier: Identifier, display: p.string }),
  anyOf: [{ required: ['reference'] }, { required: ['identifier'] }, { required: ['display'] }, { required: ['extension'] }],
};
/** qty-3: a unit code needs its system. */
export const Quantity = {
  ...strict({ value: p.decimal, comparator: enumOf('<', '<=', '>=', '>'), unit: p.string, system: p.uri, code: p.code }),
  dependentRequired: { code: ['system'] },
};
export const SimpleQuantity = { ...Quantity, not: { required: ['comparator'] } };
export const Period = strict({ start: p.dateTime, end: p.dateTime });
export const HumanName = strict({
  use: enumOf('usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'),
  text: p.string,
  family: p.string,
  given: arrayOf(p.string),
  prefix: arrayOf(p.string),
  suffix: arrayOf(p.string),
});
export const Address = strict({
  extension,
  use: enumOf('home', 'work', 'temp', 'old', 'billing'),
  text: p.string,
  line: arrayOf(p.string),
  city: p.string,
  district: p.string,
  state: p.string,
  postalCode: p.string,
  country: p.string,
});
export const ContactPoint = strict(
  { system: enumOf('phone', 'fax', 'email', 'pager', 'url', 'sms', 'other'), value: p.string, use: enumOf('home', 'work', 'temp', 'old', 'mobile') },
  ['system', 'value'],
);
export const Money = strict({ extension, value: p.decimal, currency: p.code });
export const Annotation = strict({ text: p.string }, ['text']);
export const Meta = strict({ source: p.uri }, ['source']);
/** An object of the given elements, closed, with the required ones. */
export const backbone = (properties: Record<string, Schema>, required: string[] = []): Schema => strict(properties, required);
