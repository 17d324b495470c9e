import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonyms. The salt is a secret the worker draws at random for each job and never
 * stores: equal identifiers get equal pseudonyms within the job (records still link), and with
 * the salt gone nobody, operators included, can recompute or reverse them.
 */
export function pseudonym(salt: string, value: string): string {
  return createHmac('sha256', salt).update('id\0').update(value).digest('hex').slice(0, 24);
}

/** The largest shift either way, in days. */
export const MAX_DATE_SHIFT_DAYS = 365;

/**
 * The per-patient date shift: 1..365 days earlier or later, never 0, the same for every record
 * of the patient within the job (intervals between a patient's dates survive), unguessable
 * without the salt.
 */
export function patientDateShift(salt: string, patientKey: string): number {
  const digest = createHmac('sha256', salt).update('date-shift\0').update(patientKey).digest();
  const magnitude = (digest.readUInt32BE(0) % MAX_DATE_SHIFT_DAYS) + 1;
  return (digest[4] ?? 0) & 1 ? -magnitude : magnitude;
}
