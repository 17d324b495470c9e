/** Rule codes a code normalizer may raise (warnings; registered in validate/rules.ts). */
export type CodeRepair =
  | 'icd.leading_zero_restored'
  | 'cvx.leading_zero_restored'
  | 'ndc.leading_zero_restored'
  | 'ndc.ambiguous';

/** A value that fits a code system's format: its canonical form, and what was repaired or doubted. */
export interface CodeMatch {
  code: string;
  repair?: CodeRepair;
  /** The format fits but the check digit does not: not a code of this system when detecting one. */
  checkFailed?: boolean;
}
