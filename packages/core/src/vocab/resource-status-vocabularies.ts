import type { Vocabulary } from './vocabulary.js';

/** Device.status (required binding, R4 device-status). */
export const deviceStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/device-status',
  codes: { active: 'Active', inactive: 'Inactive', 'entered-in-error': 'Entered in Error', unknown: 'Unknown' },
  aliases: { 'in use': 'active', implanted: 'active', removed: 'inactive', explanted: 'inactive', retired: 'inactive', error: 'entered-in-error' },
};

/** Location.status (required binding, R4 location-status). */
export const locationStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/location-status',
  codes: { active: 'Active', suspended: 'Suspended', inactive: 'Inactive' },
  aliases: { open: 'active', closed: 'inactive', 'temporarily closed': 'suspended' },
};

/** CarePlan.status (required binding, R4 request-status). */
export const carePlanStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/request-status',
  codes: {
    draft: 'Draft', active: 'Active', 'on-hold': 'On Hold', revoked: 'Revoked', completed: 'Completed',
    'entered-in-error': 'Entered in Error', unknown: 'Unknown',
  },
  aliases: { 'in progress': 'active', ongoing: 'active', current: 'active', finished: 'completed', complete: 'completed', stopped: 'revoked', cancelled: 'revoked', canceled: 'revoked', suspended: 'on-hold' },
};

/** SupplyDelivery.status (required binding, R4 supplydelivery-status). */
export const supplyDeliveryStatus: Vocabulary = {
  system: 'http://hl7.org/fhir/supplydelivery-status',
  codes: { 'in-progress': 'In Progress', completed: 'Delivered', abandoned: 'Abandoned', 'entered-in-error': 'Entered In Error' },
  aliases: { delivered: 'completed', complete: 'completed', dispensed: 'completed', pending: 'in-progress', cancelled: 'abandoned', canceled: 'abandoned' },
};

/**
 * Coverage.relationship (extensible binding, subscriber-relationship): the beneficiary's
 * relationship to the subscriber. Only spellings that say that direction are aliases; Synthea's
 * OWNERSHIP (who owns the policy) is read by the coverage dataset itself.
 */
export const subscriberRelationship: Vocabulary = {
  system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  codes: { child: 'Child', parent: 'Parent', spouse: 'Spouse', common: 'Common Law Spouse', other: 'Other', self: 'Self', injured: 'Injured Party' },
  aliases: { dependent: 'child', son: 'child', daughter: 'child', wife: 'spouse', husband: 'spouse', partner: 'common', 'domestic partner': 'common', subscriber: 'self', 'policy holder': 'self', '18': 'self', '01': 'spouse', '19': 'child' },
};
