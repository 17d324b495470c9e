import * as crypto from 'node:crypto';

/** Namespace of every name-based id this service mints (fixed forever: changing it renames every resource). */
const NAMESPACE = Buffer.from('fdb01b58f68a4528af596ae8d050ed52', 'hex');

/** The FHIR R4 `id` datatype: 1 to 64 of A-Z a-z 0-9 - . */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** crypto.hash (Node >= 20.12) skips the Hash object: several times faster on short names. */
const oneShot: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in this service's namespace. */
export function uuidV5(name: string): string {
  const data = Buffer.concat([NAMESPACE, Buffer.from(name, 'utf8')]);
  const bytes = (oneShot ? oneShot('sha1', data, 'buffer') : crypto.createHash('sha1').update(data).digest()).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the resource a canonical identifier stands for. A source id that is already a valid
 * FHIR id (a Synthea UUID, a MIMIC number) is kept, so references line up with the source
 * system; anything else becomes a v5 UUID of resource type + id. Every dataset derives its
 * references with this same function, so Encounter.subject finds the Patient of another job too.
 */
export function fhirId(resourceType: string, sourceId: string): string {
  return FHIR_ID.test(sourceId) ? sourceId : uuidV5(`${resourceType}/${sourceId}`);
}

/** `urn:harmonizer:job:<jobId>#row=<row>`: where a resource came from (FHIR meta.source is a uri). */
export function fhirSource(jobId: string, row: number): string {
  return `urn:harmonizer:job:${jobId}#row=${row}`;
}
