/** Request schemas of the CSV exports (pure zod); every export answers text/csv. */
import { z } from 'zod';
import { INSTRUMENT_IDS } from '../../clinical/instruments/types';

export const dateRange = z.object({
  from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
});

export const scoresExportQuery = dateRange.extend({
  instrument: z.enum(INSTRUMENT_IDS).optional(),
  items: z.enum(['true', 'false']).optional(),
});

export const csvResponse = z.string();
