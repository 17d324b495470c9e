import type { JsonObject } from '../formats/parse-json-document.js';
import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, list, obj, periodOf, quantityOf, str } from './fhir-values.js';
import type { ReferenceResolver } from './reference-resolver.js';
import { lookupTable } from '../lookup-table.js';

const LOINC = 'http://loinc.org';

/** Wide vital-sign fields by the LOINC code of a blood-pressure component. */
const BP_COMPONENTS: Readonly<Record<string, string>> = lookupTable({ '8480-6': 'systolic_bp', '8462-4': 'diastolic_bp' });

/** Observation.category says vital-signs: the vital_signs dataset; anything else is a lab result. */
export const isVitalSign = (resource: JsonObject): boolean =>
  list(resource.category).some((c) => list(obj(c)?.coding).some((coding) => str(obj(coding)?.code) === 'vital-signs'));

/**
 * The long form shared by both datasets: code, value and unit. valueQuantity gives the number,
 * its UCUM code and comparator; valueCodeableConcept, valueString and the other value[x] give
 * value_text (a text result is a result, not a missing number).
 */
function observationBase(r: JsonObject, refs: ReferenceResolver): Record<string, string | null> {
  const code = codeOf(r.code, [LOINC]);
  const quantity = quantityOf(r.valueQuantity);
  const effective = periodOf(r.effectiveDateTime ?? r.effectiveInstant, r.effectivePeriod);
  return {
    observation_id: str(r.id),
    patient_id: refs.id(r.subject),
    encounter_id: refs.id(r.encounter),
    effective_datetime: effective.start,
    issued_datetime: str(r.issued),
    code: code.code,
    code_system: code.code ? code.system : null,
    description: code.display,
    value_quantity: quantity.value,
    value_unit: quantity.value !== null ? quantity.unit : null,
    value_comparator: quantity.comparator,
    value_text: valueText(r),
    status: str(r.status),
  };
}

function valueText(r: JsonObject): string | null {
  const concept = codeOf(r.valueCodeableConcept);
  if (concept.display ?? concept.code) return concept.display ?? concept.code;
  for (const key of ['valueString', 'valueBoolean', 'valueInteger', 'valueDateTime', 'valueTime']) {
    const value = str(r[key]);
    if (value !== null) return value;
  }
  return null;
}

/**
 * Observation (category vital-signs) -> vital_signs. A panel's components (blood pressure:
 * 8480-6 systolic, 8462-4 diastolic) fill the wide fields; other components go under extras by
 * their code.
 */
export const extractVitalSign: FhirExtractor = (r, refs) => {
  const record = observationBase(r, refs);
  for (const component of list(r.component).map(obj)) {
    if (!component) continue;
    const code = codeOf(component.code, [LOINC]).code;
    const value = quantityOf(component.valueQuantity).value;
    if (!code || value === null) continue;
    record[BP_COMPONENTS[code] ?? `component_${code}`] = value;
  }
  return record;
};

/** Observation (any other category) -> lab_results, with category, interpretation, range and specimen. */
export const extractLabResult: FhirExtractor = (r, refs) => {
  const category = codeOf(first(r.category));
  const interpretation = codeOf(first(r.interpretation));
  const range = first(r.referenceRange);
  return {
    ...observationBase(r, refs),
    category: category.code,
    category_text: category.display,
    interpretation: interpretation.code,
    interpretation_text: interpretation.display,
    reference_range_low: quantityOf(range?.low).value,
    reference_range_high: quantityOf(range?.high).value,
    reference_range_text: str(range?.text),
    specimen: str(obj(r.specimen)?.display) ?? refs.id(r.specimen),
  };
};
