/**
 * Published ketamine / esketamine population PK models. Every number cites its source here and in
 * docs/clinical-sources/pk.md; reference: ../shared/reference/pharmacology.md (§ numbers below).
 * Time unit inside the engine: minutes. Amounts: mg. Volumes: L. Concentrations: mg/L ×1000 = ng/mL.
 */
import { ClinicalInputError } from '../errors';
import type { InputEvent, LinearSystem } from './solver';

export type { ModelEvidenceStatus as StatusTag } from '../vocabulary/evidence-statuses';
import type { ModelEvidenceStatus as StatusTag } from '../vocabulary/evidence-statuses';
export type Route = 'iv' | 'intranasal' | 'oral';

/** Ketamine base C13H16ClNO: 237.73 g/mol [V] (pharmacology.md §4.1; esketamine is the same molecule). */
export const KETAMINE_MW_G_PER_MOL = 237.73;
/** Norketamine C12H14ClNO: 223.70 g/mol [C from formula] (pharmacology.md §4.1). */
export const NORKETAMINE_MW_G_PER_MOL = 223.7;

export interface Covariates {
  weightKg: number;
  ageYears?: number;
  heightCm?: number;
  sex?: 'F' | 'M';
  /** Perez-Ruixo 2021 covariate: Asian race (kel ×0.36, CLn/F ×0.81). */
  asian?: boolean;
  /** Perez-Ruixo 2021 covariate: Japanese (nasal fraction FRn ×1.34). */
  japanese?: boolean;
}

export interface ModelOptions {
  /** Effect-site equilibration rate (per min); null disables the effect site; undefined = model default. */
  ke0PerMin?: number | null;
}

export interface PublishedObservation {
  description: string;
  regimen: string;
  timeMin: number | null;
  analyte: string;
  valueNgPerMl?: number;
  valueText?: string;
  source: string;
  status: StatusTag;
}

export interface AnalyteInfo {
  name: string;
  mwGPerMol: number;
  role: 'parent' | 'metabolite';
}

export interface ParameterRow {
  name: string;
  value: number;
  unit: string;
  status: StatusTag;
  source: string;
}

export interface PkModelInfo {
  id: string;
  name: string;
  drug: 'ketamine' | 'esketamine';
  citation: string;
  doiOrPmid: string;
  population: string;
  sampling: string;
  /** Status of the parameter values as implemented (reference tags). */
  status: StatusTag;
  statusNote: string;
  scaling: string;
  structure: string;
  routes: Route[];
  analytes: AnalyteInfo[];
  parameters: ParameterRow[];
  ke0: { defaultPerMin: number | null; status: StatusTag; note: string };
  observations: PublishedObservation[];
}

/** A model instantiated for one patient: the linear system plus how doses enter it. */
export interface BuiltModel {
  info: PkModelInfo;
  system: LinearSystem;
  /** Output rows (concentration in ng/mL = row·amounts) keyed by analyte name. */
  outputs: { analyte: string; row: number[]; mwGPerMol: number }[];
  /** Row for the effect-site concentration in ng/mL, if ke0 is set. */
  effectRow: number[] | null;
  ke0PerMin: number | null;
  /** Index of the parent central compartment (IV input). */
  centralIndex: number;
  /** Translate one dose into input events. */
  doseEvents(dose: {
    doseMg: number;
    route: Route;
    startMin: number;
    durationMin: number | null;
    token: string;
  }): InputEvent[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Builders

interface Mammillary {
  v1L: number;
  /** Rate constants per min. */
  k10: number;
  k12: number;
  k21: number;
  k13?: number;
  k31?: number;
}

function requireWeight(c: Covariates): number {
  if (!Number.isFinite(c.weightKg) || c.weightKg <= 0) {
    throw new ClinicalInputError('weightKg', `must be a positive number, got ${c.weightKg}`);
  }
  return c.weightKg;
}

function checkKe0(ke0: number | null): void {
  if (ke0 !== null && (!Number.isFinite(ke0) || ke0 <= 0)) {
    throw new ClinicalInputError('ke0PerMin', `must be a positive number, got ${ke0}`);
  }
}

/** Mammillary 2–3 compartment system with optional effect site (Ce tracked as concentration, mg/L). */
function buildMammillary(info: PkModelInfo, p: Mammillary, ke0: number | null): BuiltModel {
  checkKe0(ke0);
  const names = ['central', 'peripheral2'];
  const three = p.k13 !== undefined && p.k31 !== undefined;
  if (three) names.push('peripheral3');
  if (ke0 !== null) names.push('effect');
  const n = names.length;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  a[0]![0] = -(p.k10 + p.k12 + (three ? p.k13! : 0));
  a[0]![1] = p.k21;
  a[1]![0] = p.k12;
  a[1]![1] = -p.k21;
  if (three) {
    a[0]![2] = p.k31!;
    a[2]![0] = p.k13!;
    a[2]![2] = -p.k31!;
  }
  const centralRow = new Array<number>(n).fill(0);
  centralRow[0] = 1000 / p.v1L;
  let effectRow: number[] | null = null;
  if (ke0 !== null) {
    const e = n - 1;
    a[e]![0] = ke0 / p.v1L;
    a[e]![e] = -ke0;
    effectRow = new Array<number>(n).fill(0);
    effectRow[e] = 1000;
  }
  return {
    info,
    system: { names, matrix: a },
    outputs: [{ analyte: info.analytes[0]!.name, row: centralRow, mwGPerMol: info.analytes[0]!.mwGPerMol }],
    effectRow,
    ke0PerMin: ke0,
    centralIndex: 0,
    doseEvents: (d) => ivEvents(info, 0, d),
    notes: [],
  };
}

function ivEvents(
  info: PkModelInfo,
  central: number,
  d: { doseMg: number; route: Route; startMin: number; durationMin: number | null; token: string },
): InputEvent[] {
  if (d.route !== 'iv') {
    throw new ClinicalInputError(
      d.token,
      `model ${info.id} has no ${d.route} absorption parameters; it accepts IV doses only`,
    );
  }
  if (d.durationMin === null)
    return [{ kind: 'bolus', compartment: central, timeMin: d.startMin, amountMg: d.doseMg }];
  return [
    {
      kind: 'zero-order',
      compartment: central,
      startMin: d.startMin,
      durationMin: d.durationMin,
      rateMgPerMin: d.doseMg / d.durationMin,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Shared texts

const KETAMINE: AnalyteInfo[] = [{ name: 'ketamine', mwGPerMol: KETAMINE_MW_G_PER_MOL, role: 'parent' }];

/** Zarate 2006 via Zanos 2018 Pharmacol Rev Table 1 (PMC6020109) [S]; pharmacology.md §2. */
const ZARATE_2006: PublishedObservation = {
  description: 'Mean ketamine Cmax at the end of a 0.5 mg/kg 40-min infusion in depression (venous)',
  regimen: '0.5 mg/kg over 40 min',
  timeMin: 40,
  analyte: 'ketamine',
  valueNgPerMl: 185,
  source: 'Zarate et al. 2006, via Zanos et al. 2018 Pharmacol Rev Table 1 (PMC6020109)',
  status: 'S',
};
/** Krystal 1994 via Zanos 2018 [S]; pharmacology.md §2. */
const KRYSTAL_1994: PublishedObservation = {
  description: 'Plasma range associated with dissociation during a 40-min infusion',
  regimen: '0.5 mg/kg over 40 min',
  timeMin: null,
  analyte: 'ketamine',
  valueText: '100–250 ng/mL',
  source: 'Krystal et al. 1994, via Zanos et al. 2018 Pharmacol Rev Table 1',
  status: 'S',
};

const KE0_OPENTIVA_NOTE =
  'opentiva derives this ke0 from an assumed time to peak effect of 1 min, not from a measured ' +
  'effect; no literature ke0 for racemic ketamine has been verified (pharmacology.md §1.9). Configurable.';

const row = (name: string, value: number, unit: string, status: StatusTag, source: string): ParameterRow => ({
  name,
  value,
  unit,
  status,
  source,
});

// ---------------------------------------------------------------------------------------------
// Model definitions

const DOMINO_SRC = 'stanpumpR R/drugs_ketamine.R; opentiva Domino; fus_anes (pharmacology.md §1.1)';
const dominoInfo: PkModelInfo = {
  id: 'domino-1984',
  name: 'Domino 1984 (racemic ketamine, 3-compartment)',
  drug: 'ketamine',
  citation:
    'Domino EF et al. Ketamine kinetics in unmedicated and diazepam-premedicated subjects. Clin Pharmacol Ther 1984;36(5):645-653',
  doiOrPmid: 'PMID 6488686',
  population: 'Adult volunteers, unmedicated and diazepam-premedicated (primary paper not yet verified)',
  sampling: 'Not verified in the primary paper; used by stanpumpR/opentiva TCI code (plasma)',
  status: 'S',
  statusNote:
    'Parameters from three independent open-source code bases; primary paper table not yet verified.',
  scaling: 'V1 = 0.063 L/kg × weight; rate constants weight-independent (clearances linear in weight)',
  structure: '3-compartment mammillary, elimination from central',
  routes: ['iv'],
  analytes: KETAMINE,
  parameters: [
    row('V1', 0.063, 'L/kg', 'S', DOMINO_SRC),
    row('k10', 0.438, '1/min', 'S', DOMINO_SRC),
    row('k12', 0.592, '1/min', 'S', DOMINO_SRC),
    row('k13', 0.59, '1/min', 'S', DOMINO_SRC),
    row('k21', 0.247, '1/min', 'S', DOMINO_SRC),
    row('k31', 0.0146, '1/min', 'S', DOMINO_SRC),
  ],
  ke0: {
    defaultPerMin: null,
    status: 'U',
    note: 'No ke0 published for Domino (stanpumpR: "tPeak <- 3 # Just a guess"; pharmacology.md §1.9). Supply one to compute an effect site.',
  },
  observations: [ZARATE_2006, KRYSTAL_1994],
};

const CLEM_SRC = 'opentiva class Clements250 (pharmacology.md §1.2)';
const clementsInfo: PkModelInfo = {
  id: 'clements-1981',
  name: 'Clements & Nimmo 1981 "Clements 250" (racemic ketamine, 2-compartment)',
  drug: 'ketamine',
  citation:
    'Clements JA, Nimmo WS. Pharmacokinetics and analgesic effect of ketamine in man. Br J Anaesth 1981;53:27-30',
  doiOrPmid: 'DOI 10.1093/bja/53.1.27; PMID 7459184',
  population: 'Adults; parameter set "based on 250 mcg/kg bolus data" (opentiva)',
  sampling: 'Not verified in the primary paper',
  status: 'U',
  statusNote:
    'Values from opentiva code [S]; the very large V1 (1.75 L/kg) is not verified against the paper [U] — may be a re-parameterisation.',
  scaling: 'V1 = 1.7522 L/kg × weight; rate constants weight-independent',
  structure: '2-compartment mammillary',
  routes: ['iv'],
  analytes: KETAMINE,
  parameters: [
    row('V1', 1.7522, 'L/kg', 'U', CLEM_SRC),
    row('k10', 0.0109, '1/min', 'S', CLEM_SRC),
    row('k12', 0.0186, '1/min', 'S', CLEM_SRC),
    row('k21', 0.0137, '1/min', 'S', CLEM_SRC),
  ],
  ke0: { defaultPerMin: 5.2, status: 'U', note: KE0_OPENTIVA_NOTE },
  observations: [ZARATE_2006, KRYSTAL_1994],
};

const HIJ_SRC = 'opentiva class Hijazi (pharmacology.md §1.4)';
const hijaziInfo: PkModelInfo = {
  id: 'hijazi-2003',
  name: 'Hijazi 2003 (racemic ketamine, ICU, 2-compartment)',
  drug: 'ketamine',
  citation:
    'Hijazi Y, Bodonian C, Bolon M, Salord F, Boulieu R. Pharmacokinetics and haemodynamics of ketamine in intensive care patients with brain or spinal cord injury. Br J Anaesth 2003;90:155-160',
  doiOrPmid: 'DOI 10.1093/bja/aeg028; PMID 12538370',
  population: '12 adult ICU patients with brain or spinal cord injury (abstract [V])',
  sampling: 'Not verified in the primary paper',
  status: 'S',
  statusNote:
    'Values from opentiva code [S]; they reproduce the abstract CL 36 mL/min/kg and t½ 4.9 h [V] (pharmacology.md §1.4).',
  scaling: 'V1 = 1.08 L/kg × weight; rate constants weight-independent',
  structure: '2-compartment mammillary',
  routes: ['iv'],
  analytes: KETAMINE,
  parameters: [
    row('V1', 1.08, 'L/kg', 'S', HIJ_SRC),
    row('k10', 0.0333, '1/min', 'S', HIJ_SRC),
    row('k12', 0.0088, '1/min', 'S', HIJ_SRC),
    row('k21', 0.003, '1/min', 'S', HIJ_SRC),
  ],
  ke0: { defaultPerMin: 4.773, status: 'U', note: KE0_OPENTIVA_NOTE },
  observations: [
    {
      description: 'Total clearance 36.0 (SD 13.3) mL/min/kg; elimination t½ 4.9 (1.6) h',
      regimen: 'ICU sedation',
      timeMin: null,
      analyte: 'ketamine',
      valueText: 'CL 36 mL/min/kg; t½ 4.9 h',
      source: 'Hijazi 2003 abstract',
      status: 'V',
    },
    ZARATE_2006,
  ],
};

const HERD_SRC = 'Herd 2007 abstract (pharmacology.md §1.5)';
const herdInfo: PkModelInfo = {
  id: 'herd-2007',
  name: 'Herd 2007 (racemic ketamine, children, 2-compartment, allometric)',
  drug: 'ketamine',
  citation:
    'Herd DW, Anderson BJ, Holford NHG. Ketamine disposition in children presenting for procedural sedation and analgesia in a children’s emergency department. Paediatr Anaesth 2007;17(7):622-629',
  doiOrPmid: 'PMID 17564643',
  population:
    '54 children, 8.3 ± 3.5 y, 32.5 ± 15.6 kg, 1–1.5 mg/kg IV (abstract [V]); extrapolation to adults is not validated',
  sampling: 'Not verified in the primary paper',
  status: 'V',
  statusNote:
    'Typical values verified against the abstract; allometric exponents as implemented by opentiva [S].',
  scaling: 'Volumes × (W/70)^1, clearances × (W/70)^0.75 [S, opentiva]',
  structure: '2-compartment mammillary (V1, V2, CL, Q)',
  routes: ['iv'],
  analytes: KETAMINE,
  parameters: [
    row('V1', 38.7, 'L/70 kg', 'V', HERD_SRC),
    row('V2', 102, 'L/70 kg', 'V', HERD_SRC),
    row('CL', 90, 'L/h/70 kg', 'V', HERD_SRC),
    row('Q', 215, 'L/h/70 kg', 'V', HERD_SRC),
    row('allometric exponent (clearances)', 0.75, '', 'S', 'opentiva Herd'),
  ],
  ke0: {
    defaultPerMin: null,
    status: 'U',
    note: 'No ke0 source for Herd 2007 in the reference. Supply one to compute an effect site.',
  },
  observations: [
    {
      description: 'Concentration associated with awakening in adults',
      regimen: 'any',
      timeMin: null,
      analyte: 'ketamine',
      valueNgPerMl: 750,
      source: 'Herd 2007 abstract ("0.75 mg/L")',
      status: 'V',
    },
    {
      description: 'Concentration associated with analgesia in adults',
      regimen: 'any',
      timeMin: null,
      analyte: 'ketamine',
      valueNgPerMl: 100,
      source: 'Herd 2007 abstract ("0.1 mg/L")',
      status: 'V',
    },
    ZARATE_2006,
  ],
};

const KAMP_SRC = 'opentiva class Klamp (pharmacology.md §1.6)';
const kampInfo: PkModelInfo = {
  id: 'kamp-2020',
  name: 'Kamp 2020 meta-analysis (racemic ketamine, 3-compartment; opentiva "Klamp")',
  drug: 'ketamine',
  citation:
    'Kamp J, Olofsen E, Henthorn TK, van Velzen M, Niesters M, Dahan A. Ketamine Pharmacokinetics: A Systematic Review of the Literature, Meta-analysis, and Population Analysis. Anesthesiology 2020;133(6):1192-1213',
  doiOrPmid: 'DOI 10.1097/ALN.0000000000003577',
  population: '18 studies (meta-analysis); healthy volunteers and patients',
  sampling:
    'The paper’s raw-data model is arterial with venous delay compartments; this 3-compartment set is opentiva’s and is not verified against the paper',
  status: 'S',
  statusNote:
    'opentiva values, not yet verified against the paper’s table (pharmacology.md §1.6, open item 2).',
  scaling: 'Volumes and clearances × (W/70) (linear) [S, opentiva]',
  structure: '3-compartment mammillary (V1, V2, V3, CL, Q2, Q3)',
  routes: ['iv'],
  analytes: KETAMINE,
  parameters: [
    row('V1', 25, 'L/70 kg', 'S', KAMP_SRC),
    row('V2', 56, 'L/70 kg', 'S', KAMP_SRC),
    row('V3', 157, 'L/70 kg', 'S', KAMP_SRC),
    row('CL', 84, 'L/h/70 kg', 'S', KAMP_SRC),
    row('Q2', 161, 'L/h/70 kg', 'S', KAMP_SRC),
    row('Q3', 79, 'L/h/70 kg', 'S', KAMP_SRC),
  ],
  ke0: { defaultPerMin: 2.791, status: 'U', note: KE0_OPENTIVA_NOTE },
  observations: [
    {
      description: 'Weighted mean CL 79 L/h at 70 kg (95% CI 69–90); weighted mean Vd 252 L/70 kg',
      regimen: 'meta-analysis',
      timeMin: null,
      analyte: 'ketamine',
      valueText: 'CL 79 L/h; Vd 252 L',
      source: 'Kamp 2020 abstract',
      status: 'V',
    },
    ZARATE_2006,
    KRYSTAL_1994,
  ],
};

const PR_SRC =
  'Perez-Ruixo 2021 Table 3 as transcribed in nlmixr2lib PerezRuixo_2020_esketamine.R (pharmacology.md §3.1)';
/** Perez-Ruixo 2021 parameters [S] (hours, litres); pharmacology.md §3.1. */
export const PEREZ_RUIXO = {
  frn: 0.54,
  frnSubsequentDeviceFactor: 0.62,
  frnJapaneseFactor: 1.34,
  kaNasalPerH: 2.93,
  swallowedDurationH: 0.53,
  kaSwallowedPerH: 1.45,
  fgut: 0.64,
  oralDurationH: 0.32,
  kaOralPerH: 0.97,
  vcL: 192,
  q1LPerH: 84.3,
  vp1L: 143,
  q2LPerH: 37.6,
  vp2L: 417,
  qhLPerH: 151,
  qhAgeSlopeLPerHPerYearOver60: 2.19,
  vhL: 101,
  kelPerH: 1.11,
  kelAsianFactor: 0.36,
  kmetPerH: 2.77,
  vcnL: 70,
  clnLPerH: 38,
  clnAsianFactor: 0.81,
  vpnL: 115,
  q3LPerH: 26.1,
} as const;
import { ESKETAMINE_DEVICE_INTERVAL_MIN, ESKETAMINE_DEVICE_MG } from '../vocabulary/pk';
export { ESKETAMINE_DEVICE_INTERVAL_MIN, ESKETAMINE_DEVICE_MG };

const perezInfo: PkModelInfo = {
  id: 'perez-ruixo-2021',
  name: 'Perez-Ruixo 2021 (intranasal esketamine + noresketamine)',
  drug: 'esketamine',
  citation:
    'Perez-Ruixo C, Rossenu S, Zannikos P, et al. Population Pharmacokinetics of Esketamine Nasal Spray and its Metabolite Noresketamine in Healthy Subjects and Patients with Treatment-Resistant Depression. Clin Pharmacokinet 2021;60(4):501-516',
  doiOrPmid: 'DOI 10.1007/s40262-020-00953-4',
  population:
    '820 healthy volunteers and TRD patients (nlmixr2lib transcription); intranasal 14–112 mg, IV 28 mg, oral 84 mg',
  sampling: 'Plasma (population model of pooled studies)',
  status: 'S',
  statusNote:
    'Table 3 as transcribed in nlmixr2lib [S]. Noresketamine parameters are apparent (scaled by an unknown fraction metabolised); nlmixr2lib reports its AUC over-predicts the paper’s Table 4 by ~1.4–1.56×.',
  scaling:
    'No body-weight effect; Qh − 2.19 L/h per year of age over 60; Asian: kel ×0.36, CLn/F ×0.81; Japanese: FRn ×1.34',
  structure:
    '3-compartment esketamine + hepatic (well-stirred) compartment; nasal depot → central; swallowed part zero-order (Dsw) into gut depot → liver; liver → noresketamine (2-compartment, apparent)',
  routes: ['iv', 'intranasal', 'oral'],
  analytes: [
    { name: 'esketamine', mwGPerMol: KETAMINE_MW_G_PER_MOL, role: 'parent' },
    { name: 'noresketamine', mwGPerMol: NORKETAMINE_MW_G_PER_MOL, role: 'metabolite' },
  ],
  parameters: [
    row('FRn (first device)', PEREZ_RUIXO.frn, '', 'S', PR_SRC),
    row('FRn factor, 2nd+ device', PEREZ_RUIXO.frnSubsequentDeviceFactor, '', 'S', PR_SRC),
    row('FRn factor, Japanese', PEREZ_RUIXO.frnJapaneseFactor, '', 'S', PR_SRC),
    row('ka_n', PEREZ_RUIXO.kaNasalPerH, '1/h', 'S', PR_SRC),
    row('Dsw', PEREZ_RUIXO.swallowedDurationH, 'h', 'S', PR_SRC),
    row('ka_sw', PEREZ_RUIXO.kaSwallowedPerH, '1/h', 'S', PR_SRC),
    row('Fgut', PEREZ_RUIXO.fgut, '', 'S', PR_SRC),
    row('Dpo', PEREZ_RUIXO.oralDurationH, 'h', 'S', PR_SRC),
    row('ka_po', PEREZ_RUIXO.kaOralPerH, '1/h', 'S', PR_SRC),
    row('Vc', PEREZ_RUIXO.vcL, 'L', 'S', PR_SRC),
    row('Q1', PEREZ_RUIXO.q1LPerH, 'L/h', 'S', PR_SRC),
    row('Vp1', PEREZ_RUIXO.vp1L, 'L', 'S', PR_SRC),
    row('Q2', PEREZ_RUIXO.q2LPerH, 'L/h', 'S', PR_SRC),
    row('Vp2', PEREZ_RUIXO.vp2L, 'L', 'S', PR_SRC),
    row('Qh', PEREZ_RUIXO.qhLPerH, 'L/h', 'S', PR_SRC),
    row('Qh age slope over 60 y', -PEREZ_RUIXO.qhAgeSlopeLPerHPerYearOver60, 'L/h per year', 'S', PR_SRC),
    row('Vh', PEREZ_RUIXO.vhL, 'L', 'S', PR_SRC),
    row('kel', PEREZ_RUIXO.kelPerH, '1/h', 'S', PR_SRC),
    row('kmet', PEREZ_RUIXO.kmetPerH, '1/h', 'S', PR_SRC),
    row('Vcn/F', PEREZ_RUIXO.vcnL, 'L', 'S', PR_SRC),
    row('CLn/F', PEREZ_RUIXO.clnLPerH, 'L/h', 'S', PR_SRC),
    row('Vpn/F', PEREZ_RUIXO.vpnL, 'L', 'S', PR_SRC),
    row('Q3/F', PEREZ_RUIXO.q3LPerH, 'L/h', 'S', PR_SRC),
  ],
  ke0: {
    defaultPerMin: null,
    status: 'U',
    note: 'No esketamine ke0 in the reference. Supply one to compute an effect site.',
  },
  observations: [
    {
      description: 'Mean absolute bioavailability (intranasal)',
      regimen: '28–84 mg intranasal',
      timeMin: null,
      analyte: 'esketamine',
      valueText: '48%',
      source: 'SPRAVATO label (pharmacology.md §3)',
      status: 'V',
    },
    {
      description: 'Tmax after the last spray',
      regimen: '28–84 mg intranasal',
      timeMin: null,
      analyte: 'esketamine',
      valueText: '20–40 min after the last spray',
      source: 'SPRAVATO label (pharmacology.md §3)',
      status: 'V',
    },
    {
      description: 'Mean terminal half-life',
      regimen: '28–84 mg intranasal',
      timeMin: null,
      analyte: 'esketamine',
      valueText: '7–12 h',
      source: 'SPRAVATO label (pharmacology.md §3)',
      status: 'V',
    },
  ],
};

function buildPerezRuixo(c: Covariates, opts: ModelOptions): BuiltModel {
  const P = PEREZ_RUIXO;
  const notes: string[] = [];
  const ke0 = opts.ke0PerMin === undefined ? null : opts.ke0PerMin;
  checkKe0(ke0);
  let qh: number = P.qhLPerH;
  if (c.ageYears === undefined) {
    notes.push('age not given: hepatic blood flow Qh at its value for age ≤ 60 y (151 L/h)');
  } else {
    if (!Number.isFinite(c.ageYears) || c.ageYears < 0) {
      throw new ClinicalInputError('ageYears', `must be a non-negative number, got ${c.ageYears}`);
    }
    qh = P.qhLPerH - P.qhAgeSlopeLPerHPerYearOver60 * Math.max(0, c.ageYears - 60);
    if (qh <= 0)
      throw new ClinicalInputError('ageYears', `age ${c.ageYears} y is outside the model (Qh ≤ 0)`);
  }
  const kel = P.kelPerH * (c.asian === true ? P.kelAsianFactor : 1);
  const cln = P.clnLPerH * (c.asian === true ? P.clnAsianFactor : 1);
  const perMin = (x: number): number => x / 60;
  // Compartments
  const names = [
    'nasal',
    'gut',
    'oral',
    'central',
    'peripheral1',
    'peripheral2',
    'liver',
    'nor_central',
    'nor_peripheral',
  ];
  if (ke0 !== null) names.push('effect');
  const n = names.length;
  const [NAS, GUT, ORAL, C, P1, P2, LIV, NC, NP] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const flow = (from: number, to: number, k: number): void => {
    a[to]![from]! += k;
    a[from]![from]! -= k;
  };
  flow(NAS, C, perMin(P.kaNasalPerH));
  flow(GUT, LIV, perMin(P.kaSwallowedPerH));
  flow(ORAL, LIV, perMin(P.kaOralPerH));
  flow(C, P1, perMin(P.q1LPerH / P.vcL));
  flow(P1, C, perMin(P.q1LPerH / P.vp1L));
  flow(C, P2, perMin(P.q2LPerH / P.vcL));
  flow(P2, C, perMin(P.q2LPerH / P.vp2L));
  flow(C, LIV, perMin(qh / P.vcL));
  flow(LIV, C, perMin(qh / P.vhL));
  a[LIV]![LIV]! -= perMin(kel); // other routes of elimination
  flow(LIV, NC, perMin(P.kmetPerH));
  flow(NC, NP, perMin(P.q3LPerH / P.vcnL));
  flow(NP, NC, perMin(P.q3LPerH / P.vpnL));
  a[NC]![NC]! -= perMin(cln / P.vcnL);
  const parentRow = new Array<number>(n).fill(0);
  parentRow[C] = 1000 / P.vcL;
  const norRow = new Array<number>(n).fill(0);
  norRow[NC] = 1000 / P.vcnL;
  let effectRow: number[] | null = null;
  if (ke0 !== null) {
    const e = n - 1;
    a[e]![C] = ke0 / P.vcL;
    a[e]![e] = -ke0;
    effectRow = new Array<number>(n).fill(0);
    effectRow[e] = 1000;
  }
  const frnBase = P.frn * (c.japanese === true ? P.frnJapaneseFactor : 1);
  const doseEvents: BuiltModel['doseEvents'] = (d) => {
    if (d.route === 'iv') return ivEvents(perezInfo, C, d);
    if (d.durationMin !== null) {
      throw new ClinicalInputError(d.token, `${d.route} doses are not infused; remove "over …"`);
    }
    if (d.route === 'oral') {
      // Oral solution: F = Fgut, zero-order into the gut depot over Dpo, then ka_po into the liver.
      const dur = P.oralDurationH * 60;
      return [
        {
          kind: 'zero-order',
          compartment: ORAL,
          startMin: d.startMin,
          durationMin: dur,
          rateMgPerMin: (d.doseMg * P.fgut) / dur,
        },
      ];
    }
    const devices = d.doseMg / ESKETAMINE_DEVICE_MG;
    if (!Number.isInteger(devices) || devices < 1) {
      throw new ClinicalInputError(
        d.token,
        `intranasal esketamine is given in 28 mg devices; ${d.doseMg} mg is not a multiple of 28`,
      );
    }
    const events: InputEvent[] = [];
    const dsw = P.swallowedDurationH * 60;
    for (let k = 0; k < devices; k++) {
      // Second and later devices absorb a smaller nasal fraction (×0.62); averaged over the dose this
      // gives the per-dose FRn 0.54·(1 + (N−1)·0.62)/N of the reference.
      const frn = frnBase * (k === 0 ? 1 : P.frnSubsequentDeviceFactor);
      if (frn > 1) throw new ClinicalInputError('japanese', 'nasal fraction above 1');
      const t = d.startMin + k * ESKETAMINE_DEVICE_INTERVAL_MIN;
      events.push({ kind: 'bolus', compartment: NAS, timeMin: t, amountMg: ESKETAMINE_DEVICE_MG * frn });
      events.push({
        kind: 'zero-order',
        compartment: GUT,
        startMin: t,
        durationMin: dsw,
        rateMgPerMin: (ESKETAMINE_DEVICE_MG * (1 - frn) * P.fgut) / dsw,
      });
    }
    return events;
  };
  return {
    info: perezInfo,
    system: { names, matrix: a },
    outputs: [
      { analyte: 'esketamine', row: parentRow, mwGPerMol: KETAMINE_MW_G_PER_MOL },
      { analyte: 'noresketamine', row: norRow, mwGPerMol: NORKETAMINE_MW_G_PER_MOL },
    ],
    effectRow,
    ke0PerMin: ke0,
    centralIndex: C,
    doseEvents,
    notes,
  };
}

type Builder = (c: Covariates, opts: ModelOptions) => BuiltModel;

const ke0Of = (info: PkModelInfo, opts: ModelOptions): number | null =>
  opts.ke0PerMin === undefined ? info.ke0.defaultPerMin : opts.ke0PerMin;

const BUILDERS: Record<string, { info: PkModelInfo; build: Builder }> = {
  'domino-1984': {
    info: dominoInfo,
    build: (c, o) => {
      const w = requireWeight(c);
      return buildMammillary(
        dominoInfo,
        { v1L: 0.063 * w, k10: 0.438, k12: 0.592, k13: 0.59, k21: 0.247, k31: 0.0146 },
        ke0Of(dominoInfo, o),
      );
    },
  },
  'clements-1981': {
    info: clementsInfo,
    build: (c, o) =>
      buildMammillary(
        clementsInfo,
        { v1L: 1.7522 * requireWeight(c), k10: 0.0109, k12: 0.0186, k21: 0.0137 },
        ke0Of(clementsInfo, o),
      ),
  },
  'hijazi-2003': {
    info: hijaziInfo,
    build: (c, o) =>
      buildMammillary(
        hijaziInfo,
        { v1L: 1.08 * requireWeight(c), k10: 0.0333, k12: 0.0088, k21: 0.003 },
        ke0Of(hijaziInfo, o),
      ),
  },
  'herd-2007': {
    info: herdInfo,
    build: (c, o) => {
      const r = requireWeight(c) / 70;
      const v1 = 38.7 * r;
      const v2 = 102 * r;
      const cl = (90 * r ** 0.75) / 60;
      const q = (215 * r ** 0.75) / 60;
      return buildMammillary(
        herdInfo,
        { v1L: v1, k10: cl / v1, k12: q / v1, k21: q / v2 },
        ke0Of(herdInfo, o),
      );
    },
  },
  'kamp-2020': {
    info: kampInfo,
    build: (c, o) => {
      const r = requireWeight(c) / 70;
      const [v1, v2, v3] = [25 * r, 56 * r, 157 * r];
      const [cl, q2, q3] = [(84 * r) / 60, (161 * r) / 60, (79 * r) / 60];
      return buildMammillary(
        kampInfo,
        { v1L: v1, k10: cl / v1, k12: q2 / v1, k21: q2 / v2, k13: q3 / v1, k31: q3 / v3 },
        ke0Of(kampInfo, o),
      );
    },
  },
  'perez-ruixo-2021': { info: perezInfo, build: buildPerezRuixo },
};

export const MODEL_IDS = Object.keys(BUILDERS);

export function listModels(): PkModelInfo[] {
  return Object.values(BUILDERS).map((b) => b.info);
}

export function getModelInfo(id: string): PkModelInfo {
  const b = BUILDERS[id];
  if (b === undefined) {
    throw new ClinicalInputError('model', `unknown model "${id}"; known: ${MODEL_IDS.join(', ')}`);
  }
  return b.info;
}

export function buildModel(id: string, covariates: Covariates, options: ModelOptions = {}): BuiltModel {
  getModelInfo(id);
  requireWeight(covariates);
  return BUILDERS[id]!.build(covariates, options);
}
