import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/**
 * Imaging studies, aligned with FHIR R4 ImagingStudy (Synthea imaging_studies.csv: Id, DATE,
 * PATIENT, ENCOUNTER, SERIES_UID, BODYSITE_CODE, BODYSITE_DESCRIPTION, MODALITY_CODE,
 * MODALITY_DESCRIPTION, INSTANCE_UID, SOP_CODE, SOP_DESCRIPTION, PROCEDURE_CODE). Choices:
 * - One row is one image (instance) of one series of one study, as Synthea writes it: the
 *   natural key is study + series + instance, and each row becomes one ImagingStudy holding that
 *   series and instance (a row never merges into another row's resource).
 * - modality_code is a DICOM modality (DX, CT, MR...), upper-cased; sop_class is the DICOM SOP
 *   class UID (an OID) of the instance; uids are kept exactly as written.
 * - procedure_code is the procedure that made the study (SNOMED CT in Synthea).
 */
export const imagingStudies: DatasetDefinition = {
  name: 'imaging_studies',
  description: 'Imaging studies: study, series and instance UIDs, modality, body site, SOP class, procedure, when.',
  fhirResource: 'ImagingStudy',
  fields: [
    f('imaging_study_id', 'id', 'ImagingStudy.identifier', ['Id', 'Study ID', 'Imaging Study ID', 'Accession Number', 'Study UID', 'StudyInstanceUID']),
    patientRef('ImagingStudy.subject', true),
    encounterRef('ImagingStudy.encounter'),
    f('started', 'datetime', 'ImagingStudy.started', ['DATE', 'Study Date', 'Started', 'Study Date Time', 'Acquisition Date']),
    f('series_uid', 'id', 'ImagingStudy.series.uid', ['SERIES_UID', 'Series UID', 'SeriesInstanceUID', 'Series Instance UID']),
    codeField('body_site_code', 'ImagingStudy.series.bodySite', ['snomed', 'local'], ['BODYSITE_CODE', 'Body Site Code', 'Body Part Code']),
    systemField('body_site_code', 'ImagingStudy.series.bodySite.system'),
    f('body_site', 'text', 'ImagingStudy.series.bodySite.display', ['BODYSITE_DESCRIPTION', 'Body Site', 'Body Part', 'BodyPartExamined']),
    f('modality_code', 'code', 'ImagingStudy.series.modality.code', ['MODALITY_CODE', 'Modality', 'Modality Code']),
    f('modality', 'text', 'ImagingStudy.series.modality.display', ['MODALITY_DESCRIPTION', 'Modality Description', 'Modality Name']),
    f('instance_uid', 'id', 'ImagingStudy.series.instance.uid', ['INSTANCE_UID', 'Instance UID', 'SOPInstanceUID', 'SOP Instance UID']),
    f('sop_class', 'id', 'ImagingStudy.series.instance.sopClass', ['SOP_CODE', 'SOP Class', 'SOP Class UID', 'SOPClassUID']),
    f('sop_description', 'text', 'ImagingStudy.series.instance.title', ['SOP_DESCRIPTION', 'SOP Description', 'SOP Class Name']),
    codeField('procedure_code', 'ImagingStudy.procedureCode', ['snomed', 'cpt', 'local'], ['PROCEDURE_CODE', 'Procedure Code', 'Exam Code']),
    systemField('procedure_code', 'ImagingStudy.procedureCode.coding.system'),
    f('description', 'text', 'ImagingStudy.description', ['Study Description', 'Description', 'Exam', 'Exam Name']),
  ],
  naturalKey: ['imaging_study_id', 'series_uid', 'instance_uid'],
  requiredColumnsAnyOf: [['series_uid'], ['instance_uid'], ['modality_code']],
  knownExtras: [],
  rules: [],
  fileNameHints: ['imaging', 'imaging_studies', 'imagingstudies', 'studies', 'radiology', 'dicom', 'pacs'],
};
