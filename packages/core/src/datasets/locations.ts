import type { DatasetDefinition } from './dataset-definition.js';
import { defineField as f } from './define-field.js';

/**
 * Places where care is given (sites, wards, rooms, beds), aligned with FHIR R4 Location (FHIR
 * Bulk Location resources: name, address, position, managing organization). Choices:
 * - latitude/longitude are Location.position (decimal degrees); a value outside -90..90 or
 *   -180..180 is rejected (location.position_out_of_range): a swapped pair would put the site
 *   elsewhere on the map.
 * - managing_organization_id is the Organization that runs the site (its id, or the identifier
 *   of an identifier-only reference, as Synthea writes it).
 * - A location needs a name or an id (location.unidentifiable).
 */
export const locations: DatasetDefinition = {
  name: 'locations',
  description: 'Care sites, wards, rooms and beds: name, type, status, address, position, managing organization.',
  fhirResource: 'Location',
  fields: [
    f('location_id', 'id', 'Location.identifier', ['Location ID', 'LOCATIONID', 'Site ID', 'Ward ID', 'Unit ID', 'Room ID', 'Bed ID']),
    f('name', 'text', 'Location.name', ['Location Name', 'Site Name', 'Ward Name', 'Unit Name', 'Location', 'Site']),
    f('alias', 'text', 'Location.alias', ['Alias', 'Short Name', 'Abbreviation']),
    f('description', 'text', 'Location.description', ['Description', 'Location Description']),
    f('status', 'coded', 'Location.status', ['Status', 'Location Status'], { vocabulary: 'location_status', textField: 'status_text' }),
    f('status_text', 'text', 'Location.operationalStatus.display', []),
    f('type', 'text', 'Location.type', ['Location Type', 'Site Type', 'Unit Type', 'Type']),
    f('physical_type', 'text', 'Location.physicalType', ['Physical Type', 'Kind']),
    f('address_line', 'text', 'Location.address.line', ['Address', 'Street', 'Street Address', 'Address Line', 'Address 1', 'Address1']),
    f('city', 'text', 'Location.address.city', ['City', 'Town']),
    f('state', 'state', 'Location.address.state', ['State', 'State Code', 'Province']),
    f('postal_code', 'postal_code', 'Location.address.postalCode', ['ZIP', 'ZIP Code', 'Zipcode', 'Postal Code', 'Postcode']),
    f('country', 'country', 'Location.address.country', ['Country', 'Country Code']),
    f('phone', 'phone', 'Location.telecom(phone)', ['Phone', 'Phone Number', 'Telephone']),
    f('latitude', 'decimal', 'Location.position.latitude', ['LAT', 'Latitude']),
    f('longitude', 'decimal', 'Location.position.longitude', ['LON', 'LNG', 'Longitude']),
    f('managing_organization_id', 'id', 'Location.managingOrganization', ['Managing Organization', 'Organization ID', 'Organization', 'Facility ID', 'Hospital ID']),
    f('managing_organization_name', 'text', 'Location.managingOrganization.display', ['Organization Name', 'Facility Name', 'Hospital Name']),
    f('part_of', 'id', 'Location.partOf', ['Part Of', 'Parent Location', 'Parent Location ID']),
  ],
  naturalKey: ['location_id'],
  requiredColumnsAnyOf: [['location_id'], ['name']],
  knownExtras: [],
  rules: [
    {
      rule: 'location.unidentifiable',
      severity: 'error',
      field: 'location_id',
      message: 'location_id and name are both empty: the row identifies no location',
      violated: (r) => !r.location_id && !r.name,
    },
    {
      rule: 'location.position_out_of_range',
      severity: 'error',
      field: 'latitude',
      message: 'latitude must be within -90..90 and longitude within -180..180',
      violated: (r) =>
        (r.latitude != null && Math.abs(Number(r.latitude)) > 90) || (r.longitude != null && Math.abs(Number(r.longitude)) > 180),
    },
  ],
  fileNameHints: ['location', 'locations', 'sites', 'wards', 'units', 'rooms', 'beds'],
};
