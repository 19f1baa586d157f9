/**
 * Sources cited by the taper planner. Every number in `src/clinical/taper` points at one of these
 * ids; the table in `docs/clinical-sources/taper.md` repeats them with the reference status tags
 * from `shared/reference/tapering.md`.
 */
export interface TaperSource {
  readonly id: string;
  readonly citation: string;
}

export const TAPER_SOURCES = {
  sorensen2022: {
    id: 'sorensen2022',
    citation:
      'Sørensen A, Ruhé HG, Munkholm K. Mol Psychiatry 2022;27(1):192–201, doi:10.1038/s41380-021-01285-w; per-drug values as coded in mkotsollaris/antidepressantscalculator (not yet checked against the paper)',
  },
  horowitzTaylor2019: {
    id: 'horowitzTaylor2019',
    citation: 'Horowitz MA, Taylor D. Lancet Psychiatry 2019;6(6):538–46, doi:10.1016/S2215-0366(19)30032-X',
  },
  maudsley14: {
    id: 'maudsley14',
    citation: 'Maudsley Prescribing Guidelines, 14th ed., ch. 3, "Pattern of tapering"',
  },
  maudsleyDeprescribing2024: {
    id: 'maudsleyDeprescribing2024',
    citation:
      'Horowitz MA, Taylor DM. The Maudsley Deprescribing Guidelines, Wiley-Blackwell 2024, ISBN 9781119822981, ch. 2 abstract',
  },
  niceNg222: {
    id: 'niceNg222',
    citation: 'NICE NG222 (2022) Depression in adults, recommendations 1.4.17–1.4.22',
  },
  asam2025: {
    id: 'asam2025',
    citation:
      'Joint Clinical Practice Guideline on Benzodiazepine Tapering (ASAM et al.), J Gen Intern Med 2025, doi:10.1007/s11606-025-09499-2, PMID 40526204',
  },
  asam2025Table7: {
    id: 'asam2025Table7',
    citation:
      'ASAM 2025 Joint Guideline, Table 7 (pocket guide p. 18): VA/DoD SUD CPG 2021 and Ashton Manual 2002 columns',
  },
  nhsScotland: {
    id: 'nhsScotland',
    citation: 'NHS Scotland benzodiazepine equivalence table, rightdecisions.scot.nhs.uk',
  },
  who2009: {
    id: 'who2009',
    citation: 'WHO 2009 Clinical guidelines for withdrawal management in closed settings, NBK310652 Table 8',
  },
  andrashko2020: {
    id: 'andrashko2020',
    citation:
      'Andrashko V et al. Front Psychiatry 2020;11:844, doi:10.3389/fpsyt.2020.00844, PMID 33005153 (ROC cut-off >8 mg diazepam-equivalent)',
  },
  formsLabel: { id: 'formsLabel', citation: 'DailyMed / FDA / national labels (tapering.md §5 key A)' },
  formsPielab: {
    id: 'formsPielab',
    citation: 'pielab-uci/antidepressant-tapering src/redux/reducers/drugs.ts (tapering.md §5 key B)',
  },
  formsGeneral: {
    id: 'formsGeneral',
    citation: 'general knowledge, not yet verified (tapering.md §5 key C)',
  },
  formsNhs: { id: 'formsNhs', citation: 'NHS / Rosemont product pages (tapering.md §5, venlafaxine)' },
  effexorLabel: {
    id: 'effexorLabel',
    citation:
      'Effexor (venlafaxine tablets) and Effexor XR / Efexor XR (extended-release capsules) labels: Description, Dosage and Administration (copies of the label text; not in tapering.md)',
  },
  fdaNdc: {
    id: 'fdaNdc',
    citation:
      'FDA National Drug Code Directory (openFDA drug/ndc records; openFDA says its data are not validated), NDC numbers per form',
  },
  compounding: {
    id: 'compounding',
    citation:
      'Maudsley Deprescribing Guidelines 2024 ch. 2 abstract ("liquid, compounded or off-label formulations will be needed"); Horowitz, Psychopharmacology Institute 2025 (liquids, compounding, bead counting); compounded custom-dose capsules or liquids (Outro Health) — tapering.md §1.4, §5',
  },
  plannerRule: {
    id: 'plannerRule',
    citation:
      'tapering.md §5 planner rule [D]: round to what can be measured; quarter scored tablets only; never split CR/ER/DR',
  },
} as const satisfies Record<string, TaperSource>;

export type TaperSourceId = keyof typeof TAPER_SOURCES;

/** Status tags of shared/reference/README.md ([D] = derived by arithmetic or design choice). */
export type EvidenceStatus = 'V' | 'S' | 'U' | 'D';
