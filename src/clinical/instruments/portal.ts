/**
 * What the self-report portal offers a patient: the self-report instruments due now, or a
 * baseline still missing; one slot per instrument. Pure.
 */
import { getInstrument } from './registry';
import type { AssessmentContext, DueAssessment } from './schedule';
import type { InstrumentId } from './types';

export interface PortalOffer {
  instrument: InstrumentId;
  context: AssessmentContext;
  /** Only these items (PHQ-9 item 9 alone at +4 h / +24 h); omitted = the whole instrument. */
  itemIds?: string[];
}

export function portalInstruments(due: DueAssessment[]): PortalOffer[] {
  const out: PortalOffer[] = [];
  for (const d of due) {
    const open = d.status === 'due' || (d.status === 'overdue' && d.context === 'baseline');
    if (!open) continue;
    const req = d.anyOf.find((r) => getInstrument(r.instrument).rater === 'patient');
    if (!req || out.some((o) => o.instrument === req.instrument)) continue;
    out.push({
      instrument: req.instrument,
      context: d.context,
      ...(req.itemIds ? { itemIds: [...req.itemIds] } : {}),
    });
  }
  return out;
}
