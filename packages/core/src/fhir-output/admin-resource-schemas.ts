import {
  Address, arrayOf, backbone, CodeableConcept, ContactPoint, enumOf, FHIR_PRIMITIVES as p, HumanName, Identifier, Money, Period,
  PrimitiveExtension, Reference, SimpleQuantity,
} from './fhir-datatype-schemas.js';
import { resourceSchema } from './fhir-resource-schemas.js';

type Schema = Record<string, unknown>;
const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' };
/** A required primitive: the value, or its `_name` twin with a data-absent extension. */
const present = (name: string): Schema => ({ anyOf: [{ required: [name] }, { required: [`_${name}`] }] });

export const AppointmentSchema = resourceSchema(
  'Appointment',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'),
    cancelationReason: CodeableConcept,
    appointmentType: CodeableConcept,
    reasonCode: arrayOf(CodeableConcept),
    start: instant,
    _start: PrimitiveExtension,
    end: instant,
    _end: PrimitiveExtension,
    minutesDuration: p.positiveInt,
    created: p.dateTime,
    comment: p.string,
    participant: arrayOf({
      ...backbone({ type: arrayOf(CodeableConcept), actor: Reference, status: enumOf('accepted', 'declined', 'tentative', 'needs-action') }, ['status']),
      // app-1: a type or an actor.
      anyOf: [{ required: ['type'] }, { required: ['actor'] }],
    }),
  },
  ['status', 'participant'],
  {
    allOf: [
      // app-2: start and end together; app-3: only proposed, cancelled or waitlisted ones without them.
      { anyOf: [{ allOf: [present('start'), present('end')] }, { not: { anyOf: [present('start'), present('end')] } }] },
      { anyOf: [present('start'), { properties: { status: enumOf('proposed', 'cancelled', 'waitlist') } }] },
    ],
  },
);

const Insurance = arrayOf(backbone({ sequence: p.positiveInt, focal: p.boolean, coverage: Reference }, ['sequence', 'focal', 'coverage']));
const CareTeam = arrayOf(backbone({ sequence: p.positiveInt, provider: Reference, role: CodeableConcept }, ['sequence', 'provider']));

export const ClaimSchema = resourceSchema(
  'Claim',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('active', 'cancelled', 'draft', 'entered-in-error'),
    type: CodeableConcept,
    use: enumOf('claim', 'preauthorization', 'predetermination'),
    patient: Reference,
    billablePeriod: Period,
    created: p.dateTime,
    _created: PrimitiveExtension,
    provider: Reference,
    priority: CodeableConcept,
    related: arrayOf(backbone({ claim: Reference, relationship: CodeableConcept })),
    facility: Reference,
    careTeam: CareTeam,
    diagnosis: arrayOf(backbone({ sequence: p.positiveInt, diagnosisCodeableConcept: CodeableConcept, packageCode: CodeableConcept }, ['sequence', 'diagnosisCodeableConcept'])),
    insurance: Insurance,
    item: arrayOf(
      backbone(
        {
          sequence: p.positiveInt,
          productOrService: CodeableConcept,
          modifier: arrayOf(CodeableConcept),
          servicedPeriod: Period,
          locationReference: Reference,
          quantity: SimpleQuantity,
          unitPrice: Money,
          net: Money,
          encounter: arrayOf(Reference),
        },
        ['sequence', 'productOrService'],
      ),
    ),
    total: Money,
  },
  ['status', 'type', 'use', 'patient', 'provider', 'priority', 'insurance'],
  present('created'),
);

export const ClaimResponseSchema = resourceSchema(
  'ClaimResponse',
  {
    identifier: arrayOf(Identifier),
    status: enumOf('active', 'cancelled', 'draft', 'entered-in-error'),
    type: CodeableConcept,
    use: enumOf('claim', 'preauthorization', 'predetermination'),
    patient: Reference,
    created: p.dateTime,
    _created: PrimitiveExtension,
    insurer: Reference,
    request: Reference,
    outcome: enumOf('queued', 'complete', 'error', 'partial'),
    payment: backbone({ type: CodeableConcept, amount: Money }, ['type', 'amount']),
  },
  ['status', 'type', 'use', 'patient', 'insurer', 'outcome'],
  present('created'),
);

export const PractitionerSchema = resourceSchema('Practitioner', {
  identifier: arrayOf(Identifier),
  name: arrayOf(HumanName),
  telecom: arrayOf(ContactPoint),
  address: arrayOf(Address),
  gender: enumOf('male', 'female', 'other', 'unknown'),
  qualification: arrayOf(backbone({ code: CodeableConcept }, ['code'])),
});

export const PractitionerRoleSchema = resourceSchema('PractitionerRole', {
  practitioner: Reference,
  organization: Reference,
  specialty: arrayOf(CodeableConcept),
});

export const OrganizationSchema = resourceSchema(
  'Organization',
  {
    identifier: arrayOf(Identifier),
    active: p.boolean,
    type: arrayOf(CodeableConcept),
    name: p.string,
    telecom: arrayOf(ContactPoint),
    address: arrayOf(Address),
  },
  [],
  // org-1: a name or an identifier.
  { anyOf: [{ required: ['name'] }, { required: ['identifier'] }] },
);

export const MedicationSchema = resourceSchema('Medication', {
  identifier: arrayOf(Identifier),
  code: CodeableConcept,
  manufacturer: Reference,
  form: CodeableConcept,
  ingredient: arrayOf(backbone({ itemCodeableConcept: CodeableConcept }, ['itemCodeableConcept'])),
  batch: backbone({ lotNumber: p.string, expirationDate: p.dateTime }),
});
