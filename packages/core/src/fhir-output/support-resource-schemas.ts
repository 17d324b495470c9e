import {
  Address, Annotation, arrayOf, backbone, CodeableConcept, Coding, ContactPoint, enumOf, FHIR_PRIMITIVES as p, Identifier, Period,
  PrimitiveExtension, Quantity, Reference, SimpleQuantity,
} from './fhir-datatype-schemas.js';
import { resourceSchema } from './fhir-resource-schemas.js';

type Schema = Record<string, unknown>;
/** A required primitive: the value, or its `_name` twin with a data-absent extension. */
const present = (name: string): Schema => ({ anyOf: [{ required: [name] }, { required: [`_${name}`] }] });
/** A Period that may be only a data-absent extension (a required period the source lacks). */
const PeriodOrAbsent: Schema = { anyOf: [Period, PrimitiveExtension] };

/** Resources of coverage, quality measures, devices, locations, care plans, supplies and imaging (R4 base definitions). */
export const CoverageSchema = resourceSchema(
  'Coverage',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('active', 'cancelled', 'draft', 'entered-in-error'),
    type: CodeableConcept,
    subscriber: Reference,
    subscriberId: p.string,
    beneficiary: Reference,
    relationship: CodeableConcept,
    period: Period,
    payor: arrayOf(Reference),
    order: p.positiveInt,
  },
  ['status', 'beneficiary', 'payor'],
);

export const MeasureReportSchema = resourceSchema(
  'MeasureReport',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('complete', 'pending', 'error'),
    type: enumOf('individual', 'subject-list', 'summary', 'data-collection'),
    measure: p.uri,
    _measure: PrimitiveExtension,
    subject: Reference,
    date: p.dateTime,
    reporter: Reference,
    period: PeriodOrAbsent,
    improvementNotation: CodeableConcept,
    group: arrayOf(
      backbone({
        code: CodeableConcept,
        population: arrayOf(backbone({ code: CodeableConcept, count: { type: 'integer' } })),
        measureScore: Quantity,
      }),
    ),
  },
  ['status', 'type', 'period'],
  present('measure'),
);

export const DeviceSchema = resourceSchema('Device', {
  identifier: arrayOf(Identifier),
  udiCarrier: arrayOf(backbone({ deviceIdentifier: p.string, issuer: p.uri, carrierHRF: p.string })),
  status: enumOf('active', 'inactive', 'entered-in-error', 'unknown'),
  statusReason: arrayOf(CodeableConcept),
  manufacturer: p.string,
  manufactureDate: p.dateTime,
  expirationDate: p.dateTime,
  lotNumber: p.string,
  serialNumber: p.string,
  deviceName: arrayOf(
    backbone(
      { name: p.string, type: enumOf('udi-label-name', 'user-friendly-name', 'patient-reported-name', 'manufacturer-name', 'model-name', 'other') },
      ['name', 'type'],
    ),
  ),
  modelNumber: p.string,
  type: CodeableConcept,
  patient: Reference,
  owner: Reference,
  location: Reference,
  note: arrayOf(Annotation),
});

export const LocationSchema = resourceSchema('Location', {
  identifier: arrayOf(Identifier),
  status: enumOf('active', 'suspended', 'inactive'),
  operationalStatus: Coding,
  name: p.string,
  alias: arrayOf(p.string),
  description: p.string,
  mode: enumOf('instance', 'kind'),
  type: arrayOf(CodeableConcept),
  telecom: arrayOf(ContactPoint),
  address: Address,
  physicalType: CodeableConcept,
  position: backbone({ longitude: p.decimal, latitude: p.decimal, altitude: p.decimal }, ['longitude', 'latitude']),
  managingOrganization: Reference,
  partOf: Reference,
});

export const CarePlanSchema = resourceSchema(
  'CarePlan',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'),
    intent: enumOf('proposal', 'plan', 'order', 'option'),
    category: arrayOf(CodeableConcept),
    title: p.string,
    description: p.string,
    subject: Reference,
    encounter: Reference,
    period: Period,
    created: p.dateTime,
    addresses: arrayOf(Reference),
    note: arrayOf(Annotation),
  },
  ['status', 'intent', 'subject'],
);

export const SupplyDeliverySchema = resourceSchema('SupplyDelivery', {
  identifier: arrayOf(Identifier),
  status: enumOf('in-progress', 'completed', 'abandoned', 'entered-in-error'),
  patient: Reference,
  type: CodeableConcept,
  suppliedItem: backbone({ quantity: SimpleQuantity, itemCodeableConcept: CodeableConcept, itemReference: Reference }),
  occurrenceDateTime: p.dateTime,
  occurrencePeriod: Period,
  supplier: Reference,
  destination: Reference,
  receiver: arrayOf(Reference),
});

export const ImagingStudySchema = resourceSchema(
  'ImagingStudy',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('registered', 'available', 'cancelled', 'entered-in-error', 'unknown'),
    modality: arrayOf(Coding),
    subject: Reference,
    encounter: Reference,
    started: p.dateTime,
    numberOfSeries: { type: 'integer', minimum: 0 },
    numberOfInstances: { type: 'integer', minimum: 0 },
    procedureCode: arrayOf(CodeableConcept),
    description: p.string,
    series: arrayOf(
      backbone(
        {
          uid: p.id,
          modality: { anyOf: [Coding, PrimitiveExtension] },
          bodySite: Coding,
          instance: arrayOf(backbone({ uid: p.id, sopClass: Coding, number: { type: 'integer', minimum: 0 }, title: p.string }, ['uid', 'sopClass'])),
        },
        ['uid', 'modality'],
      ),
    ),
  },
  ['status', 'subject'],
);
