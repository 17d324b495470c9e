import { address, compact, decimal, reference, text, vocabCode } from './fhir-elements.js';
import type { FhirMapper } from './fhir-mapper.js';

/**
 * locations -> Location: name, status, type, address (one: Location.address is 0..1), phone,
 * position (both coordinates or none: each is 1..1 inside it) and the managing organization.
 * status is written only when the source gives one of the value set's codes.
 */
export const locationResource: FhirMapper = (r, ctx) => {
  const latitude = decimal(r, 'latitude');
  const longitude = decimal(r, 'longitude');
  const type = text(r, 'type');
  const physicalType = text(r, 'physical_type');
  const phone = text(r, 'phone');
  const status = text(r, 'status');
  return compact({
    resourceType: 'Location',
    id: ctx.idFor('Location', text(r, 'location_id')),
    identifier: [text(r, 'location_id') ? { value: text(r, 'location_id') } : undefined],
    status: status ? vocabCode('location_status', status, 'active') : undefined,
    name: text(r, 'name'),
    alias: [text(r, 'alias')],
    description: text(r, 'description'),
    type: type ? [{ text: type }] : undefined,
    telecom: phone ? [{ system: 'phone', value: phone }] : undefined,
    address: address(r),
    physicalType: physicalType ? { text: physicalType } : undefined,
    position: latitude !== undefined && longitude !== undefined ? { longitude, latitude } : undefined,
    managingOrganization:
      reference('Organization', text(r, 'managing_organization_id'), text(r, 'managing_organization_name')) ??
      (text(r, 'managing_organization_name') ? { display: text(r, 'managing_organization_name') } : undefined),
    partOf: reference('Location', text(r, 'part_of')),
  });
};
