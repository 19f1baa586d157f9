/**
 * The mechanism chain on one time axis:
 *
 *   plasma concentration (from the PK engine)
 *     → free brain concentration → NMDA-receptor occupancy and trapped (use-dependent) block
 *     → predicted lateral-habenula burst suppression (cached neuron-model relation)
 *     → delayed spine-formation component (illustrative).
 *
 * Educational model, not a prediction for the individual. Every assumption is returned in
 * `assumptions`, every parameter with its source and status in `parameters`.
 */
import { BURST_TABLE, burstSuppressionFromBlock } from './burstTable';
import { DEPRESSED_KIR41_LEVEL, LHB_PARAMETER_SOURCES } from './lhb';
import type { SourcedParameter } from './parameters';
import {
  receptorParameters,
  simulateReceptorBlock,
  validateConcentrationSeries,
  type ConcentrationSeries,
  type MechanismDrug,
  type ReceptorParameterOverrides,
} from './receptor';
import { simulateSpines, spineParameters, type SpineParameterOverrides } from './spines';

export const MECHANISM_BANNER =
  'Educational model, not a prediction for the individual. It illustrates published animal and ' +
  'cell findings with partly illustrative parameters; it must not guide dosing or treatment.';

export interface MechanismOptions {
  drug?: MechanismDrug;
  receptorOverrides?: ReceptorParameterOverrides;
  spineOverrides?: SpineParameterOverrides;
  /** Called with the completed fraction (0–1) after each stage. */
  onProgress?: (fraction: number) => void;
}

export interface MechanismTimeCourse {
  banner: string;
  drug: MechanismDrug;
  timesMin: number[];
  plasmaNgPerMl: number[];
  norketamineNgPerMl: number[] | null;
  freeBrainUm: number[];
  totalBrainUm: number[];
  /** Equilibrium NMDA-receptor occupancy (0–1). */
  occupancy: number[];
  /** Trapped, activity-dependent NMDA-receptor block (0–1). */
  trappedBlock: number[];
  /** Predicted suppression of LHb bursting (1 = no bursts; model output from trappedBlock). */
  burstSuppression: number[];
  /** Delayed spine-formation drive (illustrative index, 0–1). */
  spineFormationIndex: number[];
  /** Spine / durability component (illustrative index, 0–1). */
  spineComponent: number[];
  summary: {
    peakOccupancy: number;
    peakOccupancyTimeMin: number;
    peakTrappedBlock: number;
    peakTrappedBlockTimeMin: number;
    peakBurstSuppression: number;
    trappedBlockAtEnd: number;
    spineComponentAtEnd: number;
  };
  parameters: SourcedParameter[];
  assumptions: string[];
}

function argMax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

/**
 * Run the whole chain for a plasma concentration series. Pure and deterministic; a 48-h series
 * at 1-min resolution takes a few tens of milliseconds.
 */
export function simulateMechanism(
  series: ConcentrationSeries,
  options: MechanismOptions = {},
): MechanismTimeCourse {
  const progress = options.onProgress ?? (() => undefined);
  validateConcentrationSeries(series);
  const drug = options.drug ?? 'racemic-ketamine';
  const rp = receptorParameters(drug, options.receptorOverrides);
  const sp = spineParameters(options.spineOverrides);
  progress(0.05);

  const receptor = simulateReceptorBlock(series, rp);
  progress(0.5);
  // The ODE keeps the block inside [0, 1] up to round-off; snap round-off only (|excess| < 1e-9).
  const block = receptor.trappedBlock.map((b) => (b < 0 && b > -1e-9 ? 0 : b > 1 && b < 1 + 1e-9 ? 1 : b));
  const burstSuppression = block.map((b) => burstSuppressionFromBlock(b));
  progress(0.6);
  const spines = simulateSpines(series.timesMin, block, sp);
  progress(1);

  const t = series.timesMin;
  const iOcc = argMax(receptor.occupancy);
  const iBlock = argMax(block);
  const hasNk = series.norketamineNgPerMl !== undefined;

  const assumptions = [
    'Plasma concentrations are taken as given (e.g. from the pharmacokinetic model) and linearly interpolated between time points; the model starts drug-naïve (no block, no spine component) at the first time point.',
    `Brain equilibrates with plasma instantly (rat brain peak < 1 min after IV, Cohen 1973); unbound brain = unbound plasma (Kp,uu = ${rp.unboundBrainToUnboundPlasma.value}, assumption); the rat total brain:plasma ratio ${rp.brainToPlasmaParent.value} is used only for the total brain concentration.`,
    `Occupancy is single-site binding (Hill n = ${rp.hillCoefficient.value}, assumption) with the [3H]MK-801 binding Ki ${rp.kiParentUm.value} µM (${rp.kiParentUm.status}); sources disagree (1–2.5 µM; functional IC50 ≈ 5 µM in 1 mM Mg²⁺ [U]), and the choice changes occupancy several-fold.`,
    hasNk
      ? `Norketamine competes for the same site (Ki ${rp.kiNorketamineUm.value} µM [S]); its plasma binding is from dog data and its brain:plasma ratio is derived from the esketamine label.`
      : 'Norketamine was not supplied and is ignored (it adds a weaker, later block).',
    `Trapping block: drug enters and leaves the channel only while it is open; open time is proportional to neural activity (relative activity ${rp.relativeActivity.value}, illustrative). The untrapping time constant ${rp.untrapTimeConstantH.value} h is illustrative, chosen so block lasts many hours after the drug is gone (Ma 2023: up to 24 h in mouse LHb). The closed-channel/allosteric action (Orser 1997) is not modelled.`,
    `Burst suppression comes from a conductance-based lateral-habenula neuron model with illustrative parameters (not fitted to LHb recordings), evaluated once for a 5-cell population in the depressive-like state (Kir4.1 level ${DEPRESSED_KIR41_LEVEL}, illustrative) at ${BURST_TABLE.nmdaBlockLevels.length} block levels and linearly interpolated; NMDA block is applied as a proportional reduction of the NMDA conductance.`,
    'Burst suppression uses the trapped block (not the equilibrium occupancy), because only channels holding drug are blocked.',
    `The spine component is phenomenological and illustrative: triggered by the NMDA block, delayed by a gamma-distributed lag (mean ${sp.meanDelayH.value} h) so formation is unchanged at 3–6 h and raised at 12–24 h (Moda-Sava 2019), decaying with time constant ${sp.persistenceTimeConstantH.value} h. Its scale has no published anchor.`,
    'All mechanistic evidence is from animals and cells (rats, mice, cultured neurons); the LHb account is contested for the sustained effect (Zhou 2021).',
  ];

  const parameters: SourcedParameter[] = [
    ...Object.values(rp),
    ...Object.values(sp),
    ...LHB_PARAMETER_SOURCES.map((p) => ({ ...p, id: `lhb.${p.id}` })),
  ];

  return {
    banner: MECHANISM_BANNER,
    drug,
    timesMin: [...t],
    plasmaNgPerMl: [...series.plasmaNgPerMl],
    norketamineNgPerMl: hasNk ? [...series.norketamineNgPerMl!] : null,
    freeBrainUm: receptor.freeBrainParentUm,
    totalBrainUm: receptor.totalBrainParentUm,
    occupancy: receptor.occupancy,
    trappedBlock: block,
    burstSuppression,
    spineFormationIndex: spines.formationIndex,
    spineComponent: spines.spineComponent,
    summary: {
      peakOccupancy: receptor.occupancy[iOcc]!,
      peakOccupancyTimeMin: t[iOcc]!,
      peakTrappedBlock: block[iBlock]!,
      peakTrappedBlockTimeMin: t[iBlock]!,
      peakBurstSuppression: burstSuppression[argMax(burstSuppression)]!,
      trappedBlockAtEnd: block.at(-1)!,
      spineComponentAtEnd: spines.spineComponent.at(-1)!,
    },
    parameters,
    assumptions,
  };
}
