import { z } from 'zod';

export { evidenceStatusSchema, type EvidenceStatus } from '../vocabulary/evidence-statuses';
import { evidenceStatusSchema } from '../vocabulary/evidence-statuses';

export const citationSchema = z.object({
  /** Human-readable source: paper, label section, guideline. */
  source: z.string().min(1),
  status: evidenceStatusSchema,
  /** Anything the user must know about how the source supports (or does not support) the rule. */
  note: z.string().optional(),
});
export type Citation = z.infer<typeof citationSchema>;

/** A configurable clinical parameter that carries its own evidence status. */
export const sourcedNumberSchema = z.object({
  value: z.number(),
  status: evidenceStatusSchema,
  source: z.string().min(1),
  note: z.string().optional(),
});
export type SourcedNumber = z.infer<typeof sourcedNumberSchema>;

export { modalitySchema, type Modality } from '../vocabulary/modalities';

/** Sources used across the protocols module (see docs/clinical-sources/protocols.md). */
export const SOURCES = {
  spravatoLabelContraindications:
    'Spravato (esketamine) US PI §4 Contraindications (FDA SPL d81a6a79-a74a-44b7-822c-0dfa3036eaed)',
  spravatoLabelWarnings: 'Spravato US PI §5 Warnings and Precautions',
  spravatoLabelBp: 'Spravato US PI §5 Increase in blood pressure',
  spravatoLabelDosing: 'Spravato US PI §2 Dosage and administration (spravatohcp.com/trd)',
  spravatoLabelInteractions: 'Spravato US PI §7 Drug interactions',
  spravatoLabelIndications:
    'Spravato US PI §1 Indications (TRD as monotherapy or with an oral antidepressant, monotherapy approved 21 Jan 2025; MDD with acute suicidal ideation or behaviour with an oral antidepressant)',
  spravatoRems: 'SPRAVATO REMS (FDA REMS page, last update 12/31/2024; spravatorems.com)',
  sanacora2017: 'Sanacora G et al. APA consensus statement, JAMA Psychiatry 2017;74(4):399-405',
  ketalarLabel: 'Ketalar (ketamine) label, contraindication on BP elevation (via secondary summary)',
  andrashko2020:
    'Andrashko V et al. Front Psychiatry 2020;11:844, doi:10.3389/fpsyt.2020.00844, PMID 33005153',
  feeney2023: 'Feeney A et al. J Clin Psychiatry 2023;84(1):22m14491 (RAPID secondary analysis)',
  diekamp2021: 'Diekamp B et al. Neuropsychiatr Dis Treat 2021;17:2347-2357 (ASPIRE I/II pooled post hoc)',
  asam2025Table7:
    'ASAM Joint Clinical Practice Guideline on Benzodiazepine Tapering 2025, Table 7 (doi:10.1007/s11606-025-09499-2)',
  anand2000: 'Anand A et al. Arch Gen Psychiatry 2000;57(3):270-276',
  andrade2017: 'Andrade C. J Clin Psychiatry 2017;78(7):e852-e857 ("Ketamine for Depression, 5")',
  joseph2023: 'Joseph B et al. Pharmaceuticals 2023;16(8):1164 (Mayo historical cohort)',
  wilkowska2022: 'Wilkowska A et al. Cells 2022;11(4):645 (systematic review)',
  williams2018: 'Williams NR et al. Am J Psychiatry 2018, doi:10.1176/appi.ajp.2018.18020138',
  ijnp2025Naltrexone: 'Ketamine + naltrexone RCT in MDD + AUD, IJNP 2025, PMID 40795937',
  fava2018: 'Fava M et al. Mol Psychiatry 2020;25:1592-1603, doi:10.1038/s41380-018-0256-5',
  murrough2013: 'Murrough JW et al. Biol Psychiatry 2013;74(4):250-256',
  anand2023ElektD: 'Anand A et al. (ELEKT-D) NEJM 2023, doi:10.1056/NEJMoa2302399, PMID 37224232',
  singh2016: 'Singh JB et al. Am J Psychiatry 2016, doi:10.1176/appi.ajp.2016.16010037',
  cusin2017: 'Cusin C et al. Aust N Z J Psychiatry 2017 (ketamine augmentation, two-step escalation)',
  canmat2021: 'Swainson J et al. CANMAT task force, Can J Psychiatry 2021;66(2):113-125, PMID 33174760',
  rivaPosse2018: 'Riva-Posse P et al. J Affect Disord 2018, PMID 29525051 (Emory hemodynamics)',
  yale2024: 'Yale 7-year review, Gen Hosp Psychiatry 2024, doi:10.1016/j.genhosppsych.2024.07.001',
  cardiovascular135:
    'Cardiovascular effects of repeated subanaesthetic ketamine, 135 patients / 741 infusions',
} as const;
