import { uuidV5 } from './fhir-id.js';
import { compact, concept, decimal, fhirDateTime, reference, text, vocabCode, vocabConcept } from './fhir-elements.js';
import type { FhirMapper } from './fhir-mapper.js';
import type { CanonicalRecord, CodeableConcept } from './fhir-types.js';

const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
const PHYSICAL_TYPE = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
const DIAGNOSIS_FIELDS = ['diagnosis_1', 'diagnosis_2', 'diagnosis_3'] as const;

const physical = (code: string, display: string): CodeableConcept => ({ coding: [{ system: PHYSICAL_TYPE, code, display }] });

/** Encounter.location entries: current unit, ward, room and bed (active, or completed once discharged), then where the patient came from. */
function locations(r: CanonicalRecord, period: { start?: string; end?: string }) {
  // The patient is still there only while the segment has not ended (and is no discharge event).
  const status = period.end || /discharge/i.test(text(r, 'event_type') ?? '') ? 'completed' : 'active';
  const current = [
    ['care_unit', undefined],
    ['ward', physical('wa', 'Ward')],
    ['room', physical('ro', 'Room')],
    ['bed', physical('bd', 'Bed')],
  ] as const;
  const entries: object[] = [];
  for (const [field, physicalType] of current) {
    const name = text(r, field);
    if (name) entries.push(compact({ location: { display: name }, status, physicalType, period: Object.keys(period).length > 0 ? period : undefined }));
  }
  for (const [field, physicalType] of [['previous_care_unit', undefined], ['previous_ward', physical('wa', 'Ward')]] as const) {
    const name = text(r, field);
    if (name) entries.push(compact({ location: { display: name }, status: 'completed', physicalType }));
  }
  return entries;
}

/**
 * encounters -> Encounter. An admission or visit keeps its encounter_id as id. A segment of one
 * (an ICU stay with segment_id, a ward transfer with event_type) is its own Encounter, partOf
 * the admission, with an id from encounter_id + segment + start so the segments of one stay
 * apart. Diagnosis codes (UCI diag_1..3) become contained Conditions the diagnosis list points at.
 */
export const encounterResource: FhirMapper = (r, ctx) => {
  const encounterId = text(r, 'encounter_id');
  const segment = text(r, 'segment_id') ?? (text(r, 'event_type') ? '' : undefined);
  const start = fhirDateTime(text(r, 'start_datetime'));
  const end = fhirDateTime(text(r, 'end_datetime'));
  const period = compact({ start, end });
  const id =
    segment !== undefined && encounterId
      ? uuidV5(`Encounter/${encounterId}/segment/${segment}/${start ?? ''}`)
      : ctx.idFor('Encounter', encounterId);
  const patient = reference('Patient', text(r, 'patient_id'));
  const classCode = text(r, 'class');
  const klass = vocabConcept('encounter_class', classCode)?.coding?.[0] ?? {
    // Encounter.class is required: an unknown class is the null flavour UNK, with the source text kept.
    system: NULL_FLAVOR,
    code: 'UNK',
    display: text(r, 'class_text') ?? 'unknown',
  };
  const diagnosisSystem = text(r, 'diagnosis_system');
  const contained = DIAGNOSIS_FIELDS.flatMap((field, i) => {
    const code = concept(diagnosisSystem, text(r, field));
    return code ? [compact({ resourceType: 'Condition', id: `dx${i + 1}`, code, subject: patient ?? { display: 'unknown patient' } })] : [];
  });
  const length = decimal(r, 'length_of_stay_days');
  return compact({
    resourceType: 'Encounter',
    id,
    contained,
    identifier: [
      encounterId ? { use: 'usual', value: encounterId } : undefined,
      text(r, 'segment_id') ? { use: 'secondary', value: text(r, 'segment_id') } : undefined,
    ],
    status: vocabCode('encounter_status', text(r, 'status'), end ? 'finished' : 'unknown'),
    class: klass,
    type: [concept(text(r, 'type_code_system'), text(r, 'type_code'), text(r, 'type_text'))],
    serviceType: text(r, 'service') ? { text: text(r, 'service') } : undefined,
    priority: vocabConcept('encounter_priority', text(r, 'priority')) ?? (text(r, 'priority_text') ? { text: text(r, 'priority_text') } : undefined),
    subject: patient,
    participant: [text(r, 'practitioner_id') ? { individual: reference('Practitioner', text(r, 'practitioner_id')) } : undefined],
    period: Object.keys(period).length > 0 ? period : undefined,
    length: length === undefined ? undefined : { value: length, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
    reasonCode: [concept(text(r, 'reason_code_system'), text(r, 'reason_code'), text(r, 'reason_text'))],
    diagnosis: contained.map((c, i) => ({ condition: { reference: `#${String(c.id)}` }, rank: i + 1 })),
    hospitalization: compact({
      admitSource: text(r, 'admit_source') ? { text: text(r, 'admit_source') } : undefined,
      dischargeDisposition: text(r, 'discharge_disposition') ? { text: text(r, 'discharge_disposition') } : undefined,
    }),
    location: locations(r, period),
    serviceProvider: reference('Organization', text(r, 'organization_id')),
    partOf: segment !== undefined && encounterId ? reference('Encounter', encounterId) : undefined,
  });
};
