import { codeSystemUri } from './code-systems.js';
import { compact, concept, fhirDateTime, reference, text } from './fhir-elements.js';
import { dataAbsent } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';
/** How R4 examples and Synthea code a DICOM SOP class: its OID as a URN in the RFC 3986 system. */
const URI_SYSTEM = 'urn:ietf:rfc:3986';
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * imaging_studies -> ImagingStudy: one per row, holding the row's series (uid, modality, body site)
 * and instance (uid, SOP class), with the procedure that made it. Its id comes from study, series
 * and instance together, since several rows (instances) share a study id. status is `available`
 * (the images exist); series.uid and instance.uid are FHIR ids, so a UID that does not fit one
 * (over 64 characters) leaves the series out rather than writing an invalid one; a series without
 * a modality (1..1) has it data-absent.
 */
export const imagingStudyResource: FhirMapper = (r, ctx) => {
  const seriesUid = text(r, 'series_uid');
  const instanceUid = text(r, 'instance_uid');
  const sopClass = text(r, 'sop_class');
  const modalityCode = text(r, 'modality_code');
  const modality = modalityCode ? compact({ system: DICOM, code: modalityCode, display: text(r, 'modality') }) : undefined;
  const bodySiteCode = text(r, 'body_site_code');
  const bodySite = bodySiteCode ? compact({ system: codeSystemUri(text(r, 'body_site_code_system')), code: bodySiteCode, display: text(r, 'body_site') }) : undefined;
  const instance =
    instanceUid && FHIR_ID.test(instanceUid) && sopClass
      ? compact({ uid: instanceUid, sopClass: { system: URI_SYSTEM, code: `urn:oid:${sopClass}` }, title: text(r, 'sop_description') })
      : undefined;
  const series =
    seriesUid && FHIR_ID.test(seriesUid)
      ? compact({ uid: seriesUid, modality: modality ?? dataAbsent(), bodySite, instance: [instance] })
      : undefined;
  const studyId = text(r, 'imaging_study_id');
  return compact({
    resourceType: 'ImagingStudy',
    id: ctx.idFor('ImagingStudy', studyId && (seriesUid || instanceUid) ? studyId : undefined, [seriesUid, instanceUid].filter(Boolean).join('/') || undefined),
    identifier: [studyId ? { value: studyId } : undefined],
    status: 'available',
    modality: [modality],
    subject: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    started: fhirDateTime(text(r, 'started')),
    numberOfSeries: series ? 1 : undefined,
    numberOfInstances: series && instance ? 1 : undefined,
    procedureCode: [concept(text(r, 'procedure_code_system'), text(r, 'procedure_code'))],
    description: text(r, 'description'),
    series: [series],
  });
};
