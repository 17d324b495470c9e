import { UCUM } from './code-systems.js';
import {
  compact, concept, decimal, fhirDateTime, quantity, reference, text, vocabCode, vocabConcept,
} from './fhir-elements.js';
import type { FhirMapper, MapperContext, ResourceBody } from './fhir-mapper.js';
import type { CanonicalRecord, CodeableConcept } from './fhir-types.js';
import { BLOOD_PRESSURE, WIDE_VITALS } from './vital-codes.js';

const LOINC = 'http://loinc.org';
const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
const VITAL_SIGNS: CodeableConcept = { coding: [{ system: CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }] };
const LABORATORY: CodeableConcept = { coding: [{ system: CATEGORY_SYSTEM, code: 'laboratory', display: 'Laboratory' }] };

const loinc = (code: string, display: string): CodeableConcept => ({ coding: [{ system: LOINC, code, display }], text: display });
const ucum = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });

/** A date-time with a time and zone, as FHIR `instant` needs; a date alone is not one. */
const instant = (value: string | undefined) => {
  const dateTime = fhirDateTime(value);
  return dateTime && dateTime.length > 10 ? dateTime : undefined;
};

/** Elements every Observation of the row shares: status, category, subject, encounter, times. */
function common(r: CanonicalRecord, ctx: MapperContext) {
  const category = ctx.dataset === 'vital_signs' ? VITAL_SIGNS : (vocabConcept('observation_category', text(r, 'category')) ?? textConcept(r, 'category_text') ?? LABORATORY);
  return {
    // A result in a file is taken as final unless its status column says otherwise.
    status: vocabCode('observation_status', text(r, 'status'), 'final'),
    category: [category],
    subject: reference('Patient', text(r, 'patient_id')),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    effectiveDateTime: fhirDateTime(text(r, 'effective_datetime')),
    issued: instant(text(r, 'issued_datetime')),
  };
}

const textConcept = (r: CanonicalRecord, field: string): CodeableConcept | undefined => {
  const value = text(r, field);
  return value ? { text: value } : undefined;
};

/**
 * The long form: one measurement with a code, a value with unit or a text result. Microbiology:
 * a susceptibility (antibiotic code) carries its organism and isolate number as components; a
 * row naming only an organism is the identification, the organism its value. A row naming no
 * test, organism or value (MIMIC's culture rows without growth) gives no Observation.
 */
function longObservation(r: CanonicalRecord, ctx: MapperContext): ResourceBody {
  const unit = text(r, 'value_unit');
  const value = quantity(decimal(r, 'value_quantity'), unit, text(r, 'value_comparator'));
  const valueText = text(r, 'value_text');
  const rangeQuantity = (field: string) => {
    const v = decimal(r, field);
    return v === undefined ? undefined : compact({ value: v, unit, system: unit && !/\s/.test(unit) ? UCUM : undefined, code: unit && !/\s/.test(unit) ? unit : undefined });
  };
  const range = compact({ low: rangeQuantity('reference_range_low'), high: rangeQuantity('reference_range_high'), text: text(r, 'reference_range_text') });
  const specimen = text(r, 'specimen');
  const code = concept(text(r, 'code_system'), text(r, 'code'), text(r, 'description'));
  const organism = concept(undefined, text(r, 'organism_code'), text(r, 'organism'));
  const isolate = decimal(r, 'isolate_number');
  // A culture row naming only the organism is the identification itself: the organism is its value.
  const identification = !code && !value && !valueText && organism !== undefined;
  const components = [
    identification ? undefined : organism && { code: { text: 'Organism' }, valueCodeableConcept: organism },
    isolate !== undefined && Number.isInteger(isolate) ? { code: { text: 'Isolate number' }, valueInteger: isolate } : undefined,
  ];
  return compact({
    resourceType: 'Observation',
    id: ctx.idFor('Observation', text(r, 'observation_id')),
    ...common(r, ctx),
    code: code ?? { text: identification ? 'Microorganism identified' : 'unspecified' },
    valueQuantity: value,
    valueString: value ? undefined : valueText,
    valueCodeableConcept: identification ? organism : undefined,
    // A number and a text in one row (a range such as `0-2` read as both): the text is kept as a note.
    note: value && valueText ? [{ text: valueText }] : undefined,
    interpretation: [vocabConcept('observation_interpretation', text(r, 'interpretation')) ?? textConcept(r, 'interpretation_text')],
    referenceRange: Object.keys(range).length > 0 ? [range] : undefined,
    specimen: specimen ? { display: specimen } : undefined,
    component: components,
  });
}

/**
 * vital_signs and lab_results -> Observation. A long-form row (code + value) is one Observation;
 * each wide-form vital column is one more (LOINC-coded, in its canonical UCUM unit), and
 * systolic/diastolic pressure together are one blood-pressure panel with two components.
 */
export const observationResources: FhirMapper = (r, ctx) => {
  const out: ResourceBody[] = [];
  const isLong = ['code', 'description', 'value_quantity', 'value_text', 'organism_code', 'organism'].some((f) => text(r, f) !== undefined);
  if (isLong) out.push(longObservation(r, ctx));
  const observationId = text(r, 'observation_id');
  for (const vital of WIDE_VITALS) {
    const value = decimal(r, vital.field);
    if (value === undefined) continue;
    out.push(compact({
      resourceType: 'Observation',
      id: ctx.idFor('Observation', observationId, vital.field),
      ...common(r, ctx),
      code: loinc(vital.loinc, vital.display),
      valueQuantity: ucum(value, vital.unit),
    }));
  }
  const components = BLOOD_PRESSURE.components.flatMap((c) => {
    const value = decimal(r, c.field);
    return value === undefined ? [] : [{ code: loinc(c.loinc, c.display), valueQuantity: ucum(value, c.unit) }];
  });
  if (components.length > 0) {
    out.push(compact({
      resourceType: 'Observation',
      id: ctx.idFor('Observation', observationId, 'blood_pressure'),
      ...common(r, ctx),
      code: loinc(BLOOD_PRESSURE.panel.loinc, BLOOD_PRESSURE.panel.display),
      component: components,
    }));
  }
  return out;
};
