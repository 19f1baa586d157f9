import { z } from 'zod';

/** The two treatments Rein runs sessions for: IV racemic ketamine and intranasal esketamine (Spravato). */
export const MODALITIES = ['iv-ketamine', 'esketamine'] as const;
export const modalitySchema = z.enum(MODALITIES);
export type Modality = z.infer<typeof modalitySchema>;

export const MODALITY_LABELS: Readonly<Record<Modality, string>> = {
  'iv-ketamine': 'IV ketamine',
  esketamine: 'Esketamine (intranasal)',
};

/** A stored modality as a clinician reads it; a value this version does not know is shown as stored. */
export function modalityLabel(modality: string): string {
  return (MODALITY_LABELS as Readonly<Record<string, string>>)[modality] ?? modality;
}
