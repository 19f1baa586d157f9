import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type SimulateRequest = Json<paths['/api/pk/simulate']['post']['requestBody']>;
export type SimulateResult = Json<paths['/api/pk/simulate']['post']['responses'][200]>;
export type PlanRequest = Json<paths['/api/pk/plan']['post']['requestBody']>;
export type PlanResult = Json<paths['/api/pk/plan']['post']['responses'][200]>;
export type ModelInfo = Json<paths['/api/pk/models']['get']['responses'][200]>[number];
export type Patient = Json<paths['/api/patients/{patientId}']['get']['responses'][200]>;
export type WeightBasis = NonNullable<PlanRequest['weightBasis']>;

/** 100–250 ng/mL, from the engine (its source is cited there and in docs/clinical-sources/pk.md). */
export { DISSOCIATION_BAND_NG_PER_ML as DISSOCIATION_BAND } from '../../../clinical/vocabulary';

/** Fixed, distinguishable colours per model (Mantine palette names). */
export const MODEL_COLORS = ['teal.7', 'indigo.6', 'orange.6', 'grape.6', 'cyan.7', 'red.6'];

/** The parent drug's analyte key in a result (ketamine or esketamine). */
export function parentAnalyte(result: SimulateResult): string {
  return Object.keys(result.analytes)[0] ?? 'ketamine';
}
