import { compareTimes, endsBeforeStart } from '../validate/compare-times.js';
import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { defineField as f, patientRef } from './define-field.js';

/**
 * Appointments, aligned with FHIR R4 Appointment. Choices:
 * - status maps to the required appointmentstatus value set. A no-show column (Kaggle's
 *   `No-show`: Yes = the patient did not come) is read as a boolean into no_show; when a row has
 *   no status, it is derived from no_show: noshow, or fulfilled for a past appointment (booked
 *   for a future one, judged against the processing date).
 * - booked_datetime is when the booking was made (Kaggle's ScheduledDay); start_datetime when the
 *   appointment is (AppointmentDay). An end before the start is an error. A booking after the
 *   start is only a warning (appointment.booked_after_start): Kaggle writes AppointmentDay as
 *   midnight, so every same-day booking (114 of its 325 sample rows) looks booked after the fact.
 * - Kaggle's patient attributes (Gender, Age, Neighbourhood, Scholarship, Hipertension, ...) are
 *   not appointment fields: they stay under extras.
 */
export const appointments: DatasetDefinition = {
  name: 'appointments',
  description: 'Scheduled appointments: who, when, booked when, status and no-show.',
  fhirResource: 'Appointment',
  fields: [
    f('appointment_id', 'id', 'Appointment.identifier', ['AppointmentID', 'Appointment ID', 'Appt ID', 'Booking ID', 'Appointment Number']),
    patientRef('Appointment.participant(patient)', false),
    f('practitioner_id', 'id', 'Appointment.participant(practitioner)', ['Provider ID', 'Practitioner ID', 'Doctor ID', 'Physician ID', 'Clinician']),
    f('location', 'text', 'Appointment.participant(location)', ['Location', 'Clinic', 'Site', 'Department', 'Facility']),
    f('status', 'coded', 'Appointment.status', ['Status', 'Appointment Status', 'Appt Status', 'Booking Status'], {
      vocabulary: 'appointment_status',
      textField: 'status_text',
    }),
    f('status_text', 'text', 'Appointment.cancelationReason.text', []),
    f('no_show', 'boolean', 'Appointment.status(noshow)', ['No-show', 'No Show', 'NoShow', 'DNA', 'Did Not Attend', 'Missed']),
    f('booked_datetime', 'datetime', 'Appointment.created', ['ScheduledDay', 'Scheduled Day', 'Booking Date', 'Booked Date', 'Date Booked', 'Booked On', 'Created Date', 'Request Date']),
    f('start_datetime', 'datetime', 'Appointment.start', [
      'AppointmentDay', 'Appointment Day', 'Appointment Date', 'Appointment Time', 'Appointment Start', 'Start', 'Start Time',
      'Appt Date', 'Scheduled Start', 'Slot Start',
    ]),
    f('end_datetime', 'datetime', 'Appointment.end', ['End', 'End Time', 'Appointment End', 'Slot End']),
    f('duration_minutes', 'integer', 'Appointment.minutesDuration', ['Duration', 'Duration Minutes', 'Minutes', 'Length']),
    f('appointment_type', 'text', 'Appointment.appointmentType', ['Appointment Type', 'Visit Type', 'Appt Type', 'Service', 'Specialty']),
    f('reason_text', 'text', 'Appointment.reasonCode.text', ['Reason', 'Reason for Visit', 'Visit Reason', 'Chief Complaint']),
    f('reminder_sent', 'boolean', 'Appointment.extension(reminder)', ['SMS_received', 'SMS Received', 'Reminder Sent', 'Reminder']),
  ],
  naturalKey: ['appointment_id'],
  requiredColumnsAnyOf: [['appointment_id'], ['patient_id', 'start_datetime']],
  knownExtras: ['gender', 'sex', 'age', 'neighbourhood', 'neighborhood', 'scholarship', 'hipertension', 'hypertension', 'diabetes', 'alcoholism', 'handcap', 'handicap'],
  rules: [
    endAfterStart('appointment.end_before_start', 'start_datetime', 'end_datetime', 'error', 'an appointment cannot end before it starts'),
    {
      rule: 'appointment.booked_after_start',
      severity: 'warning',
      field: 'booked_datetime',
      message: 'booked_datetime is after start_datetime (often a same-day booking of an appointment written as midnight)',
      dateFields: ['booked_datetime', 'start_datetime'],
      violated: (r) => endsBeforeStart(r.booked_datetime, r.start_datetime),
    },
  ],
  derive(record, ctx) {
    if (record.status !== null || record.no_show === null) return;
    if (record.no_show === 'true') record.status = 'noshow';
    else if (record.start_datetime && ctx.referenceDate) {
      record.status = compareTimes(record.start_datetime, ctx.referenceDate) <= 0 ? 'fulfilled' : 'booked';
    }
  },
  fileNameHints: ['appointment', 'appointments', 'schedule', 'scheduling', 'bookings', 'noshow', 'no-show'],
};
