import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, list, obj, periodOf, str } from './fhir-values.js';

/**
 * Encounter -> encounters. Practitioner and organization are kept as the id (or the NPI /
 * identifier of a conditional reference) they point at; the first location's id and name go
 * under extras, as do the encounter's Condition references.
 */
export const extractEncounter: FhirExtractor = (r, refs) => {
  const period = periodOf(undefined, r.period);
  const klass = obj(r.class);
  const type = codeOf(first(r.type));
  const priority = codeOf(r.priority);
  const reason = codeOf(first(r.reasonCode));
  const hospitalization = obj(r.hospitalization);
  const location = first(r.location);
  const length = obj(r.length);
  const participant = list(r.participant).map(obj).find((p) => p?.individual) ?? null;
  const conditions = list(r.diagnosis).map((d) => refs.id(obj(d)?.condition)).filter(Boolean);
  return {
    encounter_id: str(r.id),
    patient_id: refs.id(r.subject),
    status: str(r.status),
    class: str(klass?.code),
    class_text: str(klass?.display),
    type_code: type.code,
    type_code_system: type.code ? type.system : null,
    type_text: type.display,
    priority: priority.code ?? priority.display,
    start_datetime: period.start,
    end_datetime: period.end,
    length_of_stay_days: str(length?.unit) === 'd' || str(length?.code) === 'd' ? str(length?.value) : null,
    service: codeOf(r.serviceType).display ?? codeOf(r.serviceType).code,
    admit_source: codeOf(hospitalization?.admitSource).display ?? codeOf(hospitalization?.admitSource).code,
    discharge_disposition:
      codeOf(hospitalization?.dischargeDisposition).display ?? codeOf(hospitalization?.dischargeDisposition).code,
    organization_id: refs.id(r.serviceProvider),
    practitioner_id: refs.id(participant?.individual),
    reason_code: reason.code,
    reason_code_system: reason.code ? reason.system : null,
    reason_text: reason.display,
    location_id: refs.id(location?.location),
    location_name: str(obj(location?.location)?.display),
    condition_ids: conditions.length > 0 ? conditions.join(' ') : null,
  };
};
