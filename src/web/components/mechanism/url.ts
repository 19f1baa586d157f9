/**
 * The Mechanism page takes its inputs from the URL query, so any screen (the infusion planner, a
 * session) can link to the mechanism view of a regimen:
 *
 *   /mechanism?model=domino-1984&weightKg=70&dose=0.5%20mg%2Fkg%20over%2040%20min[&dose=…][&untilMin=4320]
 *   /mechanism?model=domino-1984&patientId=<uuid>&dose=…     (weight, height, sex, age from the record)
 *
 * Optional covariates: ageYears, heightCm, sex (F|M), weightBasis (actual|ideal|adjusted).
 * Build links with `mechanismHref` rather than by hand.
 */
export interface MechanismInputs {
  model: string;
  weightKg?: number | undefined;
  doses: string[];
  untilMin?: number | undefined;
  patientId?: string | undefined;
  ageYears?: number | undefined;
  heightCm?: number | undefined;
  sex?: 'F' | 'M' | undefined;
  weightBasis?: 'actual' | 'ideal' | 'adjusted' | undefined;
}

const num = (raw: string | null): number | undefined => {
  if (raw === null || raw.trim() === '') return undefined;
  const v = Number(raw);
  return Number.isFinite(v) ? v : undefined;
};

export function parseMechanismQuery(params: URLSearchParams): MechanismInputs {
  const sex = params.get('sex')?.toUpperCase();
  const basis = params.get('weightBasis');
  return {
    model: params.get('model') ?? '',
    weightKg: num(params.get('weightKg')),
    doses: params
      .getAll('dose')
      .map((d) => d.trim())
      .filter((d) => d !== ''),
    untilMin: num(params.get('untilMin')),
    patientId: params.get('patientId') || undefined,
    ageYears: num(params.get('ageYears')),
    heightCm: num(params.get('heightCm')),
    sex: sex === 'F' || sex === 'M' ? sex : undefined,
    weightBasis: basis === 'actual' || basis === 'ideal' || basis === 'adjusted' ? basis : undefined,
  };
}

export function mechanismQuery(inputs: MechanismInputs): URLSearchParams {
  const p = new URLSearchParams();
  if (inputs.model) p.set('model', inputs.model);
  if (inputs.patientId) p.set('patientId', inputs.patientId);
  if (inputs.weightKg !== undefined) p.set('weightKg', String(inputs.weightKg));
  for (const d of inputs.doses) p.append('dose', d);
  if (inputs.untilMin !== undefined) p.set('untilMin', String(inputs.untilMin));
  if (inputs.ageYears !== undefined) p.set('ageYears', String(inputs.ageYears));
  if (inputs.heightCm !== undefined) p.set('heightCm', String(inputs.heightCm));
  if (inputs.sex) p.set('sex', inputs.sex);
  if (inputs.weightBasis) p.set('weightBasis', inputs.weightBasis);
  return p;
}

/** The link to the mechanism view of a regimen, e.g. from the infusion planner. */
export function mechanismHref(inputs: MechanismInputs): string {
  return `/mechanism?${mechanismQuery(inputs).toString().replace(/\+/g, '%20')}`;
}

/** Whether the inputs are complete enough to run the model. */
export function isRunnable(inputs: MechanismInputs): boolean {
  return (
    inputs.model !== '' && inputs.doses.length > 0 && (inputs.weightKg !== undefined || !!inputs.patientId)
  );
}

/** The regimen the page opens with when a link leaves it out: the common IV ketamine induction dose. */
export const PREFILLED_MECHANISM_INPUTS = {
  model: 'domino-1984',
  weightKg: 70,
  doses: ['0.5 mg/kg over 40 min'],
  untilMin: 72 * 60,
} as const;

/**
 * The inputs with the prefilled regimen for whatever the link leaves out, so the page shows a
 * result on load; a patient link keeps the weight from the record.
 */
export function prefilled(inputs: MechanismInputs): MechanismInputs {
  const d = PREFILLED_MECHANISM_INPUTS;
  return {
    ...inputs,
    model: inputs.model || d.model,
    doses: inputs.doses.length > 0 ? inputs.doses : [...d.doses],
    weightKg: inputs.weightKg ?? (inputs.patientId ? undefined : d.weightKg),
    untilMin: inputs.untilMin ?? d.untilMin,
  };
}
