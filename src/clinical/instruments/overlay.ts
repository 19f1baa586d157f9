import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import { getInstrument } from './registry';
import { instrumentIdSchema } from './schemas';
import type { InstrumentDefinition, ScoringOptions } from './types';

/**
 * Licensed item wording that a clinic loads for instruments Rein ships as labels only
 * (docs/instruments-licensed-text.md). The overlay adds text; it never changes items, values or
 * scoring, and it must name the exact definition version it was written for.
 */
export const textOverlaySchema = z.object({
  format: z.literal('rein-instrument-text/1'),
  instrument: instrumentIdSchema,
  version: z.string().min(1),
  language: z.string().min(2),
  /** Who licensed the text to the clinic, and the licence reference. */
  licence: z.string().min(1),
  stem: z.string().min(1).optional(),
  items: z.record(
    z.string().min(1),
    z.object({
      text: z.string().min(1).optional(),
      options: z.record(z.string().regex(/^-?\d+$/), z.string().min(1)).optional(),
    }),
  ),
});
export type TextOverlay = z.infer<typeof textOverlaySchema>;

/** Returns a copy of the definition with the overlay's wording; rejects any mismatch, naming it. */
export function applyTextOverlay(def: InstrumentDefinition, overlay: TextOverlay): InstrumentDefinition {
  const parsed = textOverlaySchema.safeParse(overlay);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ClinicalInputError(
      `overlay.${issue?.path.join('.') ?? ''}`,
      issue?.message ?? 'invalid overlay',
    );
  }
  if (overlay.instrument !== def.id) {
    throw new ClinicalInputError('overlay.instrument', `overlay is for ${overlay.instrument}, not ${def.id}`);
  }
  if (overlay.version !== def.version) {
    throw new ClinicalInputError(
      'overlay.version',
      `overlay is for ${def.id} version ${overlay.version}; this definition is version ${def.version}`,
    );
  }
  for (const [itemId, itemText] of Object.entries(overlay.items)) {
    const item = def.items.find((i) => i.id === itemId);
    if (!item) throw new ClinicalInputError(`overlay.items.${itemId}`, `${def.id} has no item "${itemId}"`);
    for (const key of Object.keys(itemText.options ?? {})) {
      if (!item.options.some((o) => o.value === Number(key))) {
        throw new ClinicalInputError(
          `overlay.items.${itemId}.options.${key}`,
          `${def.id} item ${itemId} has no answer value ${key}`,
        );
      }
    }
  }
  const result: InstrumentDefinition = {
    ...def,
    items: def.items.map((item) => {
      const t = overlay.items[item.id];
      if (!t) return item;
      return {
        ...item,
        ...(t.text !== undefined ? { text: t.text } : {}),
        options: item.options.map((o) => {
          const text = t.options?.[String(o.value)];
          return text !== undefined ? { ...o, text } : o;
        }),
      };
    }),
  };
  if (overlay.stem !== undefined) result.stem = overlay.stem;
  return result;
}

/** The definition to render on a form: defaults, clinic settings, and optionally licensed text. */
export function renderDefinition(
  id: string,
  opts: { overlay?: TextOverlay; options?: ScoringOptions } = {},
): InstrumentDefinition {
  const def = getInstrument(id, opts.options);
  return opts.overlay ? applyTextOverlay(def, opts.overlay) : def;
}
