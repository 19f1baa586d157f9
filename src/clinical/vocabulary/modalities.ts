import { z } from 'zod';

/** The two treatments Rein runs sessions for: IV racemic ketamine and intranasal esketamine (Spravato). */
export const MODALITIES = ['iv-ketamine', 'esketamine'] as const;
export const modalitySchema = z.enum(MODALITIES);
export type Modality = z.infer<typeof modalitySchema>;

export const MODALITY_LABELS: Readonly<Record<Modality, string>> = {
  'iv-ketamine': 'IV ketamine',
  esketamine: 'Esketamine (intranasal)',
};
