/**
 * A patient-friendly PDF calendar of a taper plan: per step the date, what to take in
 * plain words, a check-in reminder, ketamine treatment days, and footnotes for values the reference
 * has not verified. Mapping only; the schedule comes from the pure core.
 */
import type { TaperPlan } from '../clinical/taper';
import { infusionsDuring, longDate, usesUnverifiedForm, whatToTake } from './taper-text';
import { loadPdfDocument } from './pdf-document';

export interface TaperPdfMeta {
  patientName?: string;
  clinicName?: string;
  /** The clinic's phone, printed as "Call <clinic>: <phone>" where the patient looks for help. */
  clinicPhone?: string | null;
  versionNumber: number;
  /** The plan is a new version after a hold or step-back (its first row is a change, not "current"). */
  replanned?: boolean;
  /** ISO date the document was made (the caller passes it: no clock here). */
  madeOn: string;
  /** Default true; tests pass false to read the text. */
  compress?: boolean;
}

/** The standard PDF fonts use WinAnsi: replace the few characters it lacks. */
export function pdfSafe(text: string): string {
  return text
    .replace(/[≥]/g, '>=')
    .replace(/[≤]/g, '<=')
    .replace(/[→]/g, '->')
    .replace(/[≈]/g, '~')
    .replace(/[\u2009\u202f]/g, ' ')
    .replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2020\u2022\u2026]/g, '?');
}

const INK = '#1f2933';
const MUTED = '#52606d';
const RULE = '#cbd2d9';
const ACCENT = '#0b7285';

export async function taperPdf(plan: TaperPlan, meta: TaperPdfMeta): Promise<Buffer> {
  const PDFDocument = await loadPdfDocument();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: meta.compress ?? true,
    info: { Title: pdfSafe(`${plan.drug} taper plan`), Producer: 'Rein', Creator: 'Rein' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const t = (s: string) => pdfSafe(s);

  doc
    .fillColor(INK)
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(t(`Your ${plan.drug} taper plan`));
  doc.moveDown(0.2);
  doc.font('Helvetica').fontSize(10).fillColor(MUTED);
  const who = [meta.patientName, meta.clinicName].filter(Boolean).join(' · ');
  if (who) doc.text(t(who));
  doc.text(
    t(
      `Plan version ${meta.versionNumber}, printed ${longDate(meta.madeOn)}. The dose changes about every ${plan.intervalDays} days, in small steps.`,
    ),
  );
  doc.moveDown(0.4);
  doc.font('Helvetica-Bold').fontSize(11).fillColor(INK);
  doc.text(t(totalDurationLine(plan)));
  doc.font('Helvetica').fontSize(10).fillColor(MUTED);
  doc.moveDown(0.6);
  doc.fillColor(INK).fontSize(10.5);
  doc.text(
    t(
      'Take the amount shown every day, from the date shown until the next date. Do not skip days or take it every other day. Do not change the plan on your own: if withdrawal symptoms are hard to bear, call the clinic — the plan can be paused or slowed. If you have thoughts of harming yourself, call your local emergency number now.',
    ),
  );
  const call = callLine(meta);
  if (call) {
    doc.moveDown(0.4);
    doc.font('Helvetica-Bold').fontSize(11).text(t(call));
    doc.font('Helvetica').fontSize(10.5);
  }
  doc.moveDown(0.8);

  const admin = [...new Set(plan.steps.flatMap((s) => s.realisation?.administration ?? []))];
  for (const a of admin) {
    doc.font('Helvetica-Bold').text(t('How to take it: '), { continued: true });
    doc.font('Helvetica').text(t(a));
    doc.moveDown(0.4);
  }

  const dateW = 120;
  const textW = width - dateW - 10;
  const header = () => {
    doc.font('Helvetica-Bold').fontSize(9).fillColor(MUTED);
    const y = doc.y;
    doc.text('FROM', left, y, { width: dateW });
    doc.text('WHAT TO TAKE EACH DAY', left + dateW + 10, y, { width: textW });
    doc.moveDown(0.3);
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .strokeColor(RULE)
      .stroke();
    doc.moveDown(0.4);
  };
  header();

  let anyUnverifiedForm = false;
  plan.steps.forEach((step, i) => {
    const unverified = usesUnverifiedForm(step);
    anyUnverifiedForm ||= unverified;
    const main = whatToTake(plan, step, meta.replanned ?? false) + (unverified ? ' †' : '');
    const notes: string[] = [];
    const next = plan.steps[i + 1];
    if (step.kind === 'stop') {
      notes.push('Keep doing your weekly check-in with the clinic for a few weeks after stopping.');
    } else {
      notes.push(
        next
          ? `Check in with the clinic each week (a short symptom checklist). Next change: ${longDate(next.date)}.`
          : 'Check in with the clinic each week (a short symptom checklist).',
      );
    }
    for (const d of infusionsDuring(plan, i)) {
      const flagged = plan.infusionFlags.some((f) => f.date === d);
      notes.push(
        `Ketamine treatment on ${longDate(d)}.` +
          (flagged ? ' Your care team will review this medicine with you before that treatment.' : ''),
      );
    }
    if (step.shiftedFromDate) notes.push('This change was moved a few days away from a ketamine treatment.');
    if (step.preparation) {
      notes.push(
        'No ready-made product gives this dose: a compounding pharmacy makes it up for you. The clinic arranges the prescription.',
      );
    }
    if (step.formSwitch) {
      notes.push(
        `From this date you change from the ${releaseWords(step.formSwitch.from)} form to the ${releaseWords(step.formSwitch.to)} form, at the same total amount a day. Take it as shown.`,
      );
    }
    if (!next && step.kind !== 'stop' && plan.status === 'ends-before-zero') {
      notes.push(
        'The plan pauses at this dose: your prescriber will decide the next step with you. Do not stop on your own.',
      );
    }

    doc.font('Helvetica-Bold').fontSize(10.5);
    const mainH = doc.heightOfString(t(main), { width: textW });
    doc.font('Helvetica').fontSize(9);
    const notesH = notes.reduce((h, n) => h + doc.heightOfString(t(n), { width: textW }) + 2, 0);
    if (doc.y + mainH + notesH + 14 > bottom()) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    doc
      .fillColor(step.kind === 'stop' ? ACCENT : INK)
      .font('Helvetica-Bold')
      .fontSize(10.5);
    doc.text(t(longDate(step.date)), left, y, { width: dateW });
    doc.text(t(main), left + dateW + 10, y, { width: textW });
    doc.font('Helvetica').fontSize(9).fillColor(MUTED);
    for (const n of notes) doc.text(t(n), left + dateW + 10, doc.y + 2, { width: textW });
    doc.moveDown(0.5);
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .strokeColor(RULE)
      .stroke();
    doc.moveDown(0.5);
  });

  const footnotes: string[] = [];
  if (anyUnverifiedForm) {
    footnotes.push(
      '† The strength of this product is not yet verified in our reference list. Your pharmacist will check that it matches what you are given.',
    );
  }
  if (plan.model && plan.model.status !== 'V') {
    footnotes.push(
      `The size of each step comes from a published model of how ${plan.drug} acts in the brain; its values come from a secondary source and are not yet verified against the original paper. Your prescriber has reviewed the plan.`,
    );
  }
  if (plan.undeliverableSteps > 0) {
    footnotes.push(
      'Some amounts cannot be made with the usual tablets or liquids; the clinic will tell you what to take for those steps.',
    );
  }
  if ((plan.compoundedSteps ?? 0) > 0) {
    footnotes.push(
      'Doses marked as made up by a compounding pharmacy are prescribed separately; ask the clinic if you have not received them a week before the date.',
    );
  }
  footnotes.push(
    'Withdrawal symptoms can feel like the illness coming back. Tell the clinic about any new or worse symptom.',
  );
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(8.5).fillColor(MUTED);
  for (const f of footnotes) {
    if (doc.y + doc.heightOfString(t(f), { width }) > bottom()) doc.addPage();
    doc.text(t(f), left, doc.y, { width });
    doc.moveDown(0.3);
  }
  doc.end();
  return done;
}

/** "Call <clinic>: <phone>" when the clinic's phone is on record (the name alone says little). */
export function callLine(meta: Pick<TaperPdfMeta, 'clinicName' | 'clinicPhone'>): string | null {
  if (!meta.clinicPhone) return null;
  return `Call ${meta.clinicName ?? 'the clinic'}: ${meta.clinicPhone}`;
}

const RELEASE_WORDS: Record<string, string> = {
  IR: 'ordinary (immediate-release)',
  ER: 'extended-release',
  CR: 'controlled-release',
  DR: 'delayed-release',
  ODT: 'melt-in-the-mouth',
};

function releaseWords(release: string): string {
  return RELEASE_WORDS[release] ?? release;
}

/** The total duration, said first: how long the whole plan takes and when it ends. */
export function totalDurationLine(plan: TaperPlan): string {
  const last = plan.steps.at(-1)!;
  const words = plan.durationText ?? `${Math.round(last.day / 7)} weeks`;
  return plan.status === 'ends-before-zero'
    ? `The plan covers ${words}, to ${longDate(plan.endDate ?? last.date)}; it then pauses at the last dose until your prescriber decides the next step.`
    : `The whole plan takes ${words}: you stop on ${longDate(plan.endDate ?? last.date)}.`;
}
