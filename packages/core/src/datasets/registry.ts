import { InputError } from '../input-error.js';
import { DATASET_NAMES, type DatasetName } from '../types.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { allergies } from './allergies.js';
import { appointments } from './appointments.js';
import { carePlans } from './care-plans.js';
import { claimLines } from './claim-lines.js';
import { claims } from './claims.js';
import { codeDictionary } from './code-dictionary.js';
import { conditions } from './conditions.js';
import { coverage } from './coverage.js';
import { devices } from './devices.js';
import { encounters } from './encounters.js';
import { imagingStudies } from './imaging-studies.js';
import { immunizations } from './immunizations.js';
import { labResults } from './lab-results.js';
import { locations } from './locations.js';
import { medications } from './medications.js';
import { organizations } from './organizations.js';
import { patients } from './patients.js';
import { pharmacyInventory } from './pharmacy-inventory.js';
import { practitioners } from './practitioners.js';
import { procedures } from './procedures.js';
import { qualityMeasures } from './quality-measures.js';
import { supplies } from './supplies.js';
import { vitalSigns } from './vital-signs.js';

/** Every dataset the engine knows; one file per dataset beside this one. */
export const DATASETS: Readonly<Record<DatasetName, DatasetDefinition>> = {
  patients,
  encounters,
  vital_signs: vitalSigns,
  lab_results: labResults,
  conditions,
  procedures,
  medications,
  pharmacy_inventory: pharmacyInventory,
  immunizations,
  allergies,
  appointments,
  claims,
  claim_lines: claimLines,
  practitioners,
  organizations,
  coverage,
  quality_measures: qualityMeasures,
  devices,
  locations,
  care_plans: carePlans,
  supplies,
  imaging_studies: imagingStudies,
  code_dictionary: codeDictionary,
};

export function isDatasetName(name: unknown): name is DatasetName {
  return typeof name === 'string' && (DATASET_NAMES as readonly string[]).includes(name);
}

/** The dataset definition; an unknown name is bad input from the user. */
export function getDataset(name: string): DatasetDefinition {
  if (!isDatasetName(name)) {
    throw new InputError('input.unknown_dataset', `Unknown dataset "${name.slice(0, 40)}": use one of ${DATASET_NAMES.join(', ')}.`);
  }
  return DATASETS[name];
}
