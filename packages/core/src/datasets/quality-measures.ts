import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { defineField as f } from './define-field.js';

/**
 * Quality measure results per organization, aligned with FHIR R4 MeasureReport (a summary
 * report of one measure for one reporting organization and period). CMS Hospital Readmissions
 * Reduction Program fits here: one row per hospital per READM_30_* measure. Choices:
 * - The natural key is organization + measure + period: a hospital appears once per measure, so
 *   its rows are never collapsed as if they were copies of one organization.
 * - `Not Available` in any count, ratio or rate is empty (the usual missing-value marker);
 *   the footnote ("5 - Results are not available for this reporting period.") says why.
 * - denominator/numerator are counts (CMS: Number of Discharges / Number of Readmissions);
 *   score is the measure's own result (the Excess Readmission Ratio); predicted and expected
 *   rates are kept beside it. A numerator above its denominator is a warning.
 * - Dates (MM/DD/YYYY in CMS files) are the measurement period.
 */
export const qualityMeasures: DatasetDefinition = {
  name: 'quality_measures',
  description: 'Quality measure results per organization and period: measure, counts, score, rates and footnote.',
  fhirResource: 'MeasureReport',
  fields: [
    f('organization_id', 'id', 'MeasureReport.reporter.identifier', [
      'Provider ID', 'Facility ID', 'CCN', 'CMS Certification Number', 'Hospital ID', 'Organization ID', 'Provider Number', 'Reporter ID',
    ], { required: true }),
    f('organization_name', 'text', 'MeasureReport.reporter.display', ['Hospital Name', 'Facility Name', 'Organization Name', 'Provider Name', 'Reporter']),
    f('state', 'state', 'MeasureReport.extension(state)', ['State', 'State Code']),
    f('measure_id', 'id', 'MeasureReport.measure', ['Measure Name', 'Measure ID', 'Measure Code', 'Measure', 'Quality Measure', 'Measure Identifier'], { required: true }),
    f('measure_title', 'text', 'MeasureReport.group.code.text', ['Measure Title', 'Measure Description', 'Measure Long Name']),
    f('period_start', 'date', 'MeasureReport.period.start', ['Start Date', 'Measure Start Date', 'Period Start', 'Reporting Period Start']),
    f('period_end', 'date', 'MeasureReport.period.end', ['End Date', 'Measure End Date', 'Period End', 'Reporting Period End']),
    f('denominator', 'integer', 'MeasureReport.group.population(denominator).count', ['Number of Discharges', 'Denominator', 'Discharges', 'Number of Cases', 'Cases', 'Sample']),
    f('numerator', 'integer', 'MeasureReport.group.population(numerator).count', ['Number of Readmissions', 'Numerator', 'Readmissions', 'Number of Events', 'Events']),
    f('score', 'decimal', 'MeasureReport.group.measureScore', ['Excess Readmission Ratio', 'Score', 'Measure Score', 'Ratio', 'Rate', 'Result']),
    f('predicted_rate', 'decimal', 'MeasureReport.extension(predictedRate)', ['Predicted Readmission Rate', 'Predicted Rate']),
    f('expected_rate', 'decimal', 'MeasureReport.extension(expectedRate)', ['Expected Readmission Rate', 'Expected Rate']),
    f('comparison', 'text', 'MeasureReport.improvementNotation.text', ['Compared to National', 'National Comparison', 'Comparison']),
    f('footnote', 'text', 'MeasureReport.extension(footnote)', ['Footnote', 'Footnotes', 'Note']),
  ],
  naturalKey: ['organization_id', 'measure_id', 'period_start', 'period_end'],
  requiredColumnsAnyOf: [['denominator'], ['numerator'], ['score'], ['predicted_rate'], ['expected_rate']],
  knownExtras: [],
  rules: [
    endAfterStart('quality_measure.end_before_start', 'period_start', 'period_end', 'error', 'a measurement period cannot end before it starts'),
    {
      rule: 'quality_measure.numerator_above_denominator',
      severity: 'warning',
      field: 'numerator',
      message: 'numerator is above denominator',
      violated: (r) => r.numerator != null && r.denominator != null && Number(r.numerator) > Number(r.denominator),
    },
  ],
  fileNameHints: ['measure', 'measures', 'quality', 'readmissions', 'readmission', 'hrrp', 'measure_report', 'scores'],
};
