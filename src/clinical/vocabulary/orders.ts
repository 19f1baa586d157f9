/**
 * Session orders: the drugs a session order names and the routes it may give them by. The rescue
 * formulary's doses and sources live in the session core (clinical/session/orders.ts); these
 * lists are what the web's forms offer.
 */
import { z } from 'zod';

/** The ketamine drug a session order is for (racemic IV ketamine or esketamine nasal spray). */
export const ORDER_DRUGS = ['ketamine', 'esketamine'] as const;
export const orderDrugSchema = z.enum(ORDER_DRUGS);
export type OrderDrug = z.infer<typeof orderDrugSchema>;

/** Rescue medications a clinic may order for a session (its formulary). */
export const RESCUE_DRUGS = ['ondansetron', 'labetalol', 'midazolam', 'clonidine'] as const;
export const rescueDrugSchema = z.enum(RESCUE_DRUGS);
export type RescueDrug = z.infer<typeof rescueDrugSchema>;

export const MEDICATION_ROUTES = ['iv', 'intranasal', 'oral', 'im', 'sublingual'] as const;
export const medicationRouteSchema = z.enum(MEDICATION_ROUTES);
export type MedicationRoute = z.infer<typeof medicationRouteSchema>;

export const MEDICATION_ROUTE_LABELS: Readonly<Record<MedicationRoute, string>> = {
  iv: 'intravenous',
  intranasal: 'intranasal',
  oral: 'oral',
  im: 'intramuscular',
  sublingual: 'sublingual',
};
