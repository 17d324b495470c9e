import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, list, obj, str } from './fhir-values.js';

/**
 * Appointment -> appointments. The patient, practitioner and location come from the
 * participants, told apart by the type of the resource each actor references.
 */
export const extractAppointment: FhirExtractor = (r, refs) => {
  const actors = list(r.participant).map((p) => obj(p)?.actor);
  const actorOf = (type: string) => actors.find((actor) => refs.type(actor) === type);
  const location = actorOf('Location');
  const status = str(r.status);
  const type = codeOf(r.appointmentType);
  const reason = codeOf(first(r.reasonCode));
  return {
    appointment_id: str(r.id),
    patient_id: refs.id(actorOf('Patient')),
    practitioner_id: refs.id(actorOf('Practitioner') ?? actorOf('PractitionerRole')),
    location: str(obj(location)?.display) ?? refs.id(location),
    status,
    status_text: codeOf(r.cancelationReason).display,
    no_show: status === null ? null : String(status === 'noshow'),
    booked_datetime: str(r.created),
    start_datetime: str(r.start),
    end_datetime: str(r.end),
    duration_minutes: str(r.minutesDuration),
    appointment_type: type.display ?? type.code,
    reason_text: reason.display ?? reason.code,
    description: str(r.description),
  };
};
