import { compact, decimal, fhirDateTime, reference, text, vocabCode } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

/** Appointment.start/end are instants: a date alone is read as midnight UTC (as Kaggle writes AppointmentDay). */
const instant = (value: string | undefined) => {
  const dateTime = fhirDateTime(value);
  if (!dateTime) return undefined;
  return dateTime.length === 10 ? `${dateTime}T00:00:00Z` : dateTime.length > 10 ? dateTime : undefined;
};

const plusMinutes = (start: string, minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString().replace('.000Z', 'Z');

/**
 * appointments -> Appointment. Status: the source's (or derived by the dataset from no_show),
 * else booked. FHIR wants start and end together (app-2): an end missing in the source is the
 * start plus duration_minutes, or the start itself, with a comment saying so. Participants:
 * the patient, the practitioner and the location, each accepted; with none named, one
 * participant of unknown identity who still needs to act (app-1 needs a type or an actor).
 */
export const appointmentResource: FhirMapper = (r, ctx) => {
  const status = vocabCode('appointment_status', text(r, 'status'), 'booked');
  const start = instant(text(r, 'start_datetime'));
  const duration = decimal(r, 'duration_minutes');
  const minutes = duration !== undefined && Number.isInteger(duration) && duration > 0 ? duration : undefined;
  let end = instant(text(r, 'end_datetime'));
  let comment: string | undefined;
  if (start && !end) {
    end = minutes !== undefined ? plusMinutes(start, minutes) : start;
    comment = minutes !== undefined ? 'end computed from the start and the duration' : 'the source gives no end: end set to the start';
  }
  const actor = (type: string, id: string | undefined) => (id ? { actor: reference(type, id), status: 'accepted' } : undefined);
  const location = text(r, 'location');
  const participants = [
    actor('Patient', text(r, 'patient_id')),
    actor('Practitioner', text(r, 'practitioner_id')),
    location ? { actor: { display: location }, status: 'accepted' } : undefined,
  ].filter((p) => p !== undefined);
  // app-3: only proposed, cancelled and waitlisted appointments may lack start and end.
  const timeAbsent = !start && !['proposed', 'cancelled', 'waitlist'].includes(status) ? dataAbsent() : undefined;
  return compact({
    resourceType: 'Appointment',
    id: ctx.idFor('Appointment', text(r, 'appointment_id')),
    extension: fieldExtensions(r, [['reminder_sent', 'Boolean']]),
    identifier: [text(r, 'appointment_id') ? { value: text(r, 'appointment_id') } : undefined],
    status,
    cancelationReason: status === 'cancelled' && text(r, 'status_text') ? { text: text(r, 'status_text') } : undefined,
    appointmentType: text(r, 'appointment_type') ? { text: text(r, 'appointment_type') } : undefined,
    reasonCode: [text(r, 'reason_text') ? { text: text(r, 'reason_text') } : undefined],
    start,
    _start: timeAbsent,
    end,
    _end: timeAbsent,
    minutesDuration: minutes,
    created: fhirDateTime(text(r, 'booked_datetime')),
    comment,
    participant: participants.length > 0 ? participants : [{ actor: { display: 'unknown' }, status: 'needs-action' }],
  });
};
