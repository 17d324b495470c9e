import type { FhirExtractor } from './fhir-extractor.js';
import { addressOf, codeOf, first, list, obj, str, telecomOf } from './fhir-values.js';

/**
 * Location -> locations: name, status, type, address, phone, position and the managing
 * organization (Synthea references it by identifier only: its value is the id).
 */
export const extractLocation: FhirExtractor = (r, refs) => {
  const position = obj(r.position);
  const type = codeOf(first(r.type));
  const physicalType = codeOf(r.physicalType);
  const managing = obj(r.managingOrganization);
  return {
    location_id: str(r.id),
    name: str(r.name),
    alias: list(r.alias).map(str).filter(Boolean).join('; ') || null,
    description: str(r.description),
    status: str(r.status),
    type: type.display ?? type.code,
    physical_type: physicalType.display ?? physicalType.code,
    ...addressOf(r.address),
    phone: telecomOf(r.telecom, 'phone'),
    latitude: str(position?.latitude),
    longitude: str(position?.longitude),
    managing_organization_id: refs.id(managing),
    managing_organization_name: str(managing?.display),
    part_of: refs.id(r.partOf),
  };
};
