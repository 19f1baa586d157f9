import { describe, expect, it } from 'vitest';
import { planTaper } from '../clinical/taper';
import { pdfText as compressedPdfText } from './pdf-text-test-support';
import { callLine, pdfSafe, taperPdf } from './taper-pdf';
import { longDate } from './taper-text';

/** Text drawn by an uncompressed pdfkit document: hex strings inside TJ arrays, one array per line. */
function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of src.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const parts = [...m[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) =>
      Buffer.from(h[1]!, 'hex').toString('latin1'),
    );
    lines.push(parts.join(''));
  }
  // Wrapped lines break at spaces: joining with one space restores the sentences.
  return lines.join(' ').replace(/\s+/g, ' ');
}

describe('taper PDF calendar', () => {
  const plan = planTaper({
    drug: 'diazepam',
    startDoseMg: 10,
    mode: 'proportional',
    stepPct: 10,
    intervalDays: 14,
    startDate: '2026-01-05',
    infusionDates: ['2026-01-19'],
    forms: { market: 'US' },
  });

  it('is a PDF with pages, one row per step, check-in reminders and the unverified footnote', async () => {
    const pdf = await taperPdf(plan, {
      versionNumber: 2,
      madeOn: '2026-01-05',
      patientName: 'Ann Example',
      compress: false,
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const text = pdfText(pdf);
    expect(text).toContain('Your diazepam taper plan');
    expect(text).toContain('Ann Example');
    // Every reduction's instruction appears, word for word.
    const reductions = plan.steps.filter((s) => s.kind === 'reduce' && s.realisation);
    expect(reductions.length).toBeGreaterThan(5);
    for (const step of reductions) expect(text).toContain(`Take ${step.realisation!.how}.`);
    expect(text).toContain('Stop taking diazepam.');
    expect(text).toContain('Check in with the clinic each week');
    // The first change, due on the infusion day (19 Jan), moves to the next day.
    expect(plan.steps[1]!.date).toBe('2026-01-20');
    expect(text).toContain('Next change: Tue 20 Jan 2026.');
    expect(text).toContain('Ketamine treatment on Mon 19 Jan 2026');
    // diazepam 5 and 10 mg tablets are [U] in the reference: the footnote says so.
    expect(plan.steps.some((s) => s.realisation?.formStatuses.includes('U'))).toBe(true);
    expect(text).toContain('not yet verified');
  });

  it('says the total duration first and, on every step, what to take each time and how often', async () => {
    const venlafaxine = planTaper({
      drug: 'venlafaxine',
      startDoseMg: 225,
      mode: 'proportional',
      stepPct: 10,
      intervalDays: 28,
      startDate: '2026-01-05',
      release: 'ER',
      forms: { market: 'US' },
    });
    const text = pdfText(
      await taperPdf(venlafaxine, { versionNumber: 1, madeOn: '2026-01-05', compress: false }),
    );
    const duration = `The whole plan takes ${venlafaxine.durationText}: you stop on ${longDate(venlafaxine.endDate)}.`;
    expect(text).toContain(duration);
    expect(text.indexOf(duration)).toBeLessThan(text.indexOf('Keep taking your current dose'));
    for (const step of venlafaxine.steps.filter((s) => s.kind === 'reduce')) {
      expect(text).toContain(`Take ${step.realisation!.how}.`);
      expect(step.realisation!.how).toMatch(/(once|twice) a day \(/);
    }
    expect(text).toContain('a compounding pharmacy makes it up for you');
    expect(text).toContain('you change from the extended-release form to the ordinary');

    const ended = planTaper({
      drug: 'duloxetine',
      startDoseMg: 60,
      mode: 'proportional',
      stepPct: 10,
      intervalDays: 28,
      startDate: '2026-01-05',
      allowCompounding: false,
    });
    const endedText = pdfText(
      await taperPdf(ended, { versionNumber: 1, madeOn: '2026-01-05', compress: false }),
    );
    expect(endedText).toContain(
      'it then pauses at the last dose until your prescriber decides the next step',
    );
    expect(endedText).toContain('The plan pauses at this dose');
    expect(endedText).not.toContain('Stop taking duloxetine');
  });

  it("tells the patient whom to call, with the clinic's phone, when it is on record", async () => {
    const text = compressedPdfText(
      await taperPdf(plan, {
        versionNumber: 1,
        madeOn: '2026-01-05',
        clinicName: 'Lakeside Clinic',
        clinicPhone: '+1 312 555 0100',
      }),
    );
    expect(text).toContain('Call Lakeside Clinic: +1 312 555 0100');
    expect(callLine({ clinicName: 'Lakeside Clinic', clinicPhone: null })).toBeNull();
  });

  it('keeps text inside the standard fonts', () => {
    expect(pdfSafe('dose ≥ 1 mg → stop ½')).toBe('dose >= 1 mg -> stop ½');
  });
});
