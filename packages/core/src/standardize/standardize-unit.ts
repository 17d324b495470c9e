import { normalizeUnit } from '../units/ucum.js';
import { finding } from '../validate/rules.js';
import type { Standardizer } from './standardize-context.js';

/** unit fields: UCUM (`MG/DL` -> mg/dL, `mEq.` -> meq, `mm Hg` -> mm[Hg]); unknown spellings kept with a warning. */
export const standardizeUnit: Standardizer = (raw, ctx) => {
  const unit = normalizeUnit(raw);
  if (unit.known) return { value: unit.ucum };
  return { value: unit.ucum, findings: [finding(ctx.field, 'unit.unrecognized', `${ctx.field} is not a UCUM unit or a known spelling of one`)] };
};
