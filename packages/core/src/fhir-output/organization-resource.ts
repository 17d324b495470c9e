import { address, compact, decimal, text } from './fhir-elements.js';
import { fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';
import { contact, providerIdentifiers } from './practitioner-resources.js';

const GEOLOCATION = 'http://hl7.org/fhir/StructureDefinition/geolocation';

/**
 * organizations -> Organization: source id and NPI as identifiers, address with the standard
 * geolocation extension, `active` as given; ratings, ownership, services and revenue are
 * extensions. org-1 wants a name or an identifier: a row with neither is named "unnamed".
 */
export const organizationResource: FhirMapper = (r, ctx) => {
  const latitude = decimal(r, 'latitude');
  const longitude = decimal(r, 'longitude');
  const geolocation =
    latitude !== undefined && longitude !== undefined
      ? [{ url: GEOLOCATION, extension: [{ url: 'latitude', valueDecimal: latitude }, { url: 'longitude', valueDecimal: longitude }] }]
      : undefined;
  const orgAddress = address(r, { extension: geolocation, district: text(r, 'county') });
  const identifier = providerIdentifiers(r, 'organization_id');
  const active = text(r, 'active');
  return compact({
    resourceType: 'Organization',
    id: ctx.idFor('Organization', text(r, 'organization_id') ?? text(r, 'npi')),
    extension: fieldExtensions(r, [
      ['ownership', 'String'], ['emergency_services', 'Boolean'], ['ehr_meaningful_use', 'Boolean'], ['overall_rating', 'Integer'], ['revenue', 'Decimal'],
    ]),
    identifier,
    active: active === 'true' ? true : active === 'false' ? false : undefined,
    type: text(r, 'type') ? [{ text: text(r, 'type') }] : undefined,
    name: text(r, 'name') ?? (identifier.length === 0 ? 'unnamed' : undefined),
    telecom: contact(r),
    address: [orgAddress],
  });
};
