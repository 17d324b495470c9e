import type { JsonObject } from '../formats/parse-json-document.js';
import type { ReferenceResolver } from './reference-resolver.js';
import { codeOf, first, list, obj, str } from './fhir-values.js';

/**
 * ImagingStudy -> imaging_studies: one record per instance of each series (a series without
 * instances gives one record), as the canonical model holds one image per row.
 */
export function extractImagingStudy(r: JsonObject, refs: ReferenceResolver): Record<string, string | null>[] {
  const procedure = codeOf(first(r.procedureCode));
  const study = {
    imaging_study_id: str(r.id),
    patient_id: refs.id(r.subject),
    encounter_id: refs.id(r.encounter),
    started: str(r.started),
    procedure_code: procedure.code,
    procedure_code_system: procedure.code ? procedure.system : null,
    description: str(r.description) ?? procedure.display,
  };
  const series = list(r.series).map(obj).filter((s): s is JsonObject => s !== null);
  if (series.length === 0) return [{ ...study, modality_code: str(obj(first(r.modality))?.code) }];
  return series.flatMap((s) => {
    const modality = obj(s.modality);
    const bodySite = obj(s.bodySite);
    const seriesRecord = {
      ...study,
      series_uid: str(s.uid),
      modality_code: str(modality?.code),
      modality: str(modality?.display),
      body_site_code: str(bodySite?.code),
      body_site_code_system: str(bodySite?.code) ? str(bodySite?.system) : null,
      body_site: str(bodySite?.display),
    };
    const instances = list(s.instance).map(obj).filter((i): i is JsonObject => i !== null);
    if (instances.length === 0) return [seriesRecord];
    return instances.map((i) => ({
      ...seriesRecord,
      instance_uid: str(i.uid),
      sop_class: str(obj(i.sopClass)?.code)?.replace(/^urn:oid:/, '') ?? null,
      sop_description: str(i.title) ?? str(obj(i.sopClass)?.display),
    }));
  });
}
