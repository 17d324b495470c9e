import type { DatasetDefinition, StandardRecord } from '../datasets/dataset-definition.js';
import type { DeidentifyDateMode } from '../types.js';
import { ageOn, deidentifyDate } from './deidentify-date.js';
import { deidentifyAction, type DeidentifyAction } from './field-policy.js';
import { patientDateShift, pseudonym } from './pseudonym.js';
import { deidentifyPostalCode } from './restricted-zip3.js';

export interface DeidentifyOptions {
  /** The job's secret (see pseudonym.ts): keys the pseudonyms and the per-patient date shift. */
  salt: string;
  /** 'year' (Safe Harbor: only the year of a date is kept) or 'shift' (see docs/deidentification.md). */
  mode: DeidentifyDateMode;
  /** ISO date (YYYY-MM-DD) a living patient's age is judged at: the processing date. */
  referenceDate: string;
  /** Days to move this record's dates in 'shift' mode; default patientDateShift(salt, the record's patient). */
  dateShiftDays?: number;
}

export interface DeidentifiedRecord {
  record: Record<string, string | null>;
  /** De-identification's own notes ({ age_group: '90+' }), else null; the input's extras never pass. */
  extras: Record<string, string> | null;
}

/** The age group that replaces the birth date of anyone aged 90 or over (Safe Harbor identifier C). */
export const AGE_90_PLUS = '90+';

interface FieldPlan {
  name: string;
  action: DeidentifyAction;
}

interface DatasetPlan {
  fields: FieldPlan[];
  /** Fields that say who the patient is, to key the date shift: the first set with a value is used. */
  patientFields: string[][];
  deathFields: string[];
}

const plans = new WeakMap<DatasetDefinition, DatasetPlan>();

function planFor(def: DatasetDefinition): DatasetPlan {
  let plan = plans.get(def);
  if (!plan) {
    const fields = def.fields.map((f) => ({ name: f.name, action: deidentifyAction(f) }));
    const ids = fields.filter((f) => f.action === 'pseudonym').map((f) => f.name);
    const people = fields.filter((f) => f.action === 'remove' || f.action === 'birth_date').map((f) => f.name);
    plan = {
      fields,
      // patient_id alone first, so a patient's records in every dataset of a job share one shift.
      patientFields: [ids.filter((name) => name === 'patient_id'), ids, people].filter((set) => set.length > 0),
      deathFields: fields.filter((f) => f.action === 'date' && /(deceased|death)/.test(f.name)).map((f) => f.name),
    };
    plans.set(def, plan);
  }
  return plan;
}

/**
 * One standardized record, de-identified in the HIPAA Safe Harbor style (field by field in
 * docs/deidentification.md): direct identifiers removed, record numbers pseudonymized, dates
 * reduced to the year or shifted per patient, ZIP codes cut to 3 digits, birth dates of people
 * aged 90 or over replaced by an age group, and every unmapped (free-text) value dropped. Pure.
 */
export function deidentifyRecord(def: DatasetDefinition, record: StandardRecord, options: DeidentifyOptions): DeidentifiedRecord {
  const plan = planFor(def);
  const shift = options.mode === 'shift' ? (options.dateShiftDays ?? patientDateShift(options.salt, patientKey(plan, record))) : 0;
  const out: Record<string, string | null> = {};
  let extras: Record<string, string> | null = null;
  for (const { name, action } of plan.fields) {
    const value = record[name] ?? null;
    if (value === null) {
      out[name] = null;
      continue;
    }
    switch (action) {
      case 'keep':
        out[name] = value;
        break;
      case 'remove':
        out[name] = null;
        break;
      case 'pseudonym':
        out[name] = pseudonym(options.salt, value);
        break;
      case 'zip3':
        out[name] = deidentifyPostalCode(value);
        break;
      case 'date':
        out[name] = deidentifyDate(value, options.mode, shift);
        break;
      case 'birth_date':
        if (isNinetyOrOver(value, deathDate(plan, record) ?? options.referenceDate)) {
          out[name] = null;
          extras = { age_group: AGE_90_PLUS };
        } else {
          out[name] = deidentifyDate(value, options.mode, shift);
        }
        break;
      case 'age':
        out[name] = groupAge(value);
        break;
    }
  }
  return { record: out, extras };
}

/** Age at death, or at the reference date while alive; a birth year alone counts as the oldest it can be. */
function isNinetyOrOver(birth: string, on: string): boolean {
  const age = ageOn(birth, on);
  if (age !== null) return age >= 90;
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return !(years < 90); // unreadable counts as old: the birth date is then removed
}

function groupAge(value: string): string | null {
  const age = Number(value);
  if (value.trim() === '' || !Number.isFinite(age)) return null;
  return age >= 90 ? AGE_90_PLUS : value;
}

function deathDate(plan: DatasetPlan, record: StandardRecord): string | null {
  for (const name of plan.deathFields) if (record[name]) return record[name] ?? null;
  return null;
}

function patientKey(plan: DatasetPlan, record: StandardRecord): string {
  for (const set of plan.patientFields) {
    const values = set.map((name) => record[name] ?? null);
    if (values.some((v) => v !== null)) return JSON.stringify([set, values]);
  }
  return JSON.stringify(record);
}
