import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f } from './define-field.js';

/**
 * Organizations (hospitals, practices, payers), aligned with FHIR R4 Organization. CMS Hospital
 * General Information fits here: Provider ID is the CMS Certification Number (kept as text, its
 * leading zeros too), `Not Available` ratings are empty, true/false columns are booleans, the
 * composite Location column and the footnotes stay under extras. Synthea organizations and payers
 * map too (a payer is an Organization of type pay). npi is Luhn-checked with the 80840 prefix.
 */
export const organizations: DatasetDefinition = {
  name: 'organizations',
  description: 'Hospitals, practices and payers: identifiers, name, type, address, phone, CMS ratings.',
  fhirResource: 'Organization',
  fields: [
    f('organization_id', 'id', 'Organization.identifier', [
      'Id', 'Provider ID', 'Organization ID', 'Org ID', 'Facility ID', 'Hospital ID', 'CCN', 'CMS Certification Number', 'Payer ID',
    ]),
    codeField('npi', 'Organization.identifier(npi)', ['npi'], ['NPI', 'National Provider Identifier', 'Organization NPI'], { systemField: 'npi_system' }),
    f('npi_system', 'code_system', 'Organization.identifier.system', []),
    f('name', 'text', 'Organization.name', ['NAME', 'Hospital Name', 'Organization Name', 'Facility Name', 'Org Name', 'Payer Name', 'Practice Name']),
    f('type', 'text', 'Organization.type', ['Hospital Type', 'Organization Type', 'Facility Type', 'Type']),
    f('ownership', 'text', 'Organization.extension(ownership)', ['Hospital Ownership', 'Ownership', 'Owner Type']),
    f('address_line', 'text', 'Organization.address.line', ['ADDRESS', 'Street', 'Street Address', 'Address Line', 'Address 1', 'Address1']),
    f('city', 'text', 'Organization.address.city', ['City', 'Town']),
    f('state', 'state', 'Organization.address.state', ['State', 'STATE_HEADQUARTERED', 'State Code', 'Province']),
    f('postal_code', 'postal_code', 'Organization.address.postalCode', ['ZIP', 'ZIP Code', 'Zipcode', 'Postal Code', 'Postcode']),
    f('county', 'text', 'Organization.address.district', ['County Name', 'County', 'District']),
    f('country', 'country', 'Organization.address.country', ['Country', 'Country Code']),
    f('phone', 'phone', 'Organization.telecom(phone)', ['PHONE', 'Phone Number', 'Telephone', 'Main Phone']),
    f('email', 'email', 'Organization.telecom(email)', ['EMAIL', 'Email Address']),
    f('latitude', 'decimal', 'Organization.address.extension(geolocation).latitude', ['LAT', 'Latitude']),
    f('longitude', 'decimal', 'Organization.address.extension(geolocation).longitude', ['LON', 'LNG', 'Longitude']),
    f('emergency_services', 'boolean', 'Organization.extension(emergencyServices)', ['Emergency Services', 'Has Emergency Department', 'ER']),
    f('ehr_meaningful_use', 'boolean', 'Organization.extension(ehrMeaningfulUse)', ['Meets criteria for meaningful use of EHRs', 'EHR Meaningful Use']),
    f('overall_rating', 'integer', 'Organization.extension(overallRating)', ['Hospital overall rating', 'Overall Rating', 'Star Rating', 'Rating']),
    f('active', 'boolean', 'Organization.active', ['Active', 'Is Active']),
    f('revenue', 'decimal', 'Organization.extension(revenue)', ['REVENUE', 'Revenue']),
  ],
  naturalKey: ['organization_id'],
  requiredColumnsAnyOf: [['organization_id'], ['npi'], ['name']],
  knownExtras: ['location', 'utilization', 'hospital overall rating footnote', 'footnote'],
  rules: [
    {
      rule: 'organization.unidentifiable',
      severity: 'error',
      field: 'organization_id',
      message: 'organization_id, npi and name are all empty: the row identifies no organization',
      violated: (r) => !r.organization_id && !r.npi && !r.name,
    },
  ],
  fileNameHints: ['organization', 'organizations', 'hospital', 'hospitals', 'facilities', 'facility', 'payers', 'general_information'],
};
