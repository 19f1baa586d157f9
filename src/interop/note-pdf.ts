/**
 * A clinical note printed: the patient, the note's kind, its session summary, assessment, plan
 * and free text, who signed and co-signed it and when, and every addendum with who and when.
 * Mapping only: every value comes from the stored note.
 */
import type { NoteFields, NoteSessionSummary } from '../clinical/notes';
import { pdfSafe } from './taper-pdf';
import { loadPdfDocument } from './pdf-document';

export interface NoteSheet {
  clinicName: string;
  patient: { fullName: string; dateOfBirth: string; mrn: string };
  title: string;
  status: 'draft' | 'signed';
  fields: NoteFields;
  text: string;
  author: string;
  /** Clinic-local date and time strings (the caller formats; no clock here). */
  createdAt: string;
  signedAt: string | null;
  cosign: { required: boolean; by: string | null; at: string | null };
  addenda: { author: string; at: string; text: string }[];
  printedOn: string;
  compress?: boolean;
}

const num = (v: number | null, unit: string) => (v === null ? 'not recorded' : `${v} ${unit}`.trim());

/** The session summary as label / value rows. */
export function sessionSummaryRows(s: NoteSessionSummary): [string, string][] {
  const rows: [string, string][] = [
    ['Session', `${s.sequence} on ${s.date}`],
    [
      'Dose',
      s.doseMg === null
        ? 'not planned'
        : `${s.doseMg} mg${s.doseMgPerKg !== null ? ` (${s.doseMgPerKg} mg/kg)` : ''}${
            s.weightKg !== null ? `, weight ${s.weightKg} kg` : ''
          }`,
    ],
  ];
  if (s.devicesGiven !== null) rows.push(['Devices given', String(s.devicesGiven)]);
  if (s.lotNumber) rows.push(['Lot', s.lotNumber]);
  if (s.diluent) rows.push(['Diluent', s.diluent]);
  rows.push(
    ['Dosing started', s.dosingStartedAt ?? 'not started'],
    ['Amount given', num(s.amountGivenMg, 'mg')],
    ['Pauses', `${s.pauses.count} (${s.pauses.totalMin} min)`],
  );
  if (s.stoppedAtMin !== null) rows.push(['Stopped at', `${s.stoppedAtMin} min`]);
  const v = s.vitals;
  rows.push(
    [
      'Vitals',
      `${v.readings} readings; highest BP ${v.maxSbpMmHg ?? '-'}/${v.maxDbpMmHg ?? '-'} mmHg; heart rate ${
        v.minHeartRateBpm ?? '-'
      }-${v.maxHeartRateBpm ?? '-'} bpm; lowest SpO2 ${v.minSpo2Pct ?? '-'} %`,
    ],
    ['Lowest MOAA/S', s.lowestMoaas === null ? 'not recorded' : String(s.lowestMoaas)],
    ['Highest CADSS-6', s.highestCadss6 === null ? 'not recorded' : String(s.highestCadss6)],
    [
      'Adverse events',
      s.adverseEvents.length === 0
        ? 'none recorded'
        : s.adverseEvents
            .map(
              (a) =>
                `${a.category} (${a.severity}${a.serious ? ', serious' : ''}) at ${a.timeMin} min: ${a.actionTaken}`,
            )
            .join('; '),
    ],
    [
      'Discharge',
      s.discharge
        ? `at ${s.discharge.atMin} min, criteria ${s.discharge.criteriaMet ? 'met' : 'NOT met'}`
        : 'not discharged',
    ],
  );
  if (s.modality === 'esketamine') rows.push(['REMS form submitted', s.remsSubmittedOn ?? 'not yet']);
  return rows;
}

export async function notePdf(s: NoteSheet): Promise<Buffer> {
  const PDFDocument = await loadPdfDocument();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: s.compress ?? true,
    info: { Title: s.title, Producer: 'Rein', Creator: 'Rein' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const t = (text: string) => pdfSafe(text);
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const heading = (text: string) => {
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(11).fillColor('#1f2933').text(t(text), left, doc.y, { width });
  };
  const body = (text: string) =>
    doc.font('Helvetica').fontSize(10).fillColor('#1f2933').text(t(text), left, doc.y, { width });

  doc.font('Helvetica-Bold').fontSize(16).fillColor('#1f2933').text(t(s.title));
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#52606d')
    .text(t(`${s.clinicName}. ${s.patient.fullName}, born ${s.patient.dateOfBirth}, MRN ${s.patient.mrn}`));
  if (s.status === 'draft') {
    doc.font('Helvetica-Bold').fillColor('#c92a2a').text('DRAFT - not signed');
  }
  if (s.fields.session) {
    heading('Session (from the session record)');
    for (const [label, value] of sessionSummaryRows(s.fields.session)) body(`${label}: ${value}`);
  }
  if (s.fields.assessment) {
    heading('Assessment');
    body(s.fields.assessment);
  }
  if (s.fields.plan) {
    heading('Plan');
    body(s.fields.plan);
  }
  if (s.text.trim()) {
    heading('Note');
    body(s.text);
  }
  heading('Signatures');
  body(`Written by ${s.author}, ${s.createdAt}`);
  body(s.signedAt ? `Signed by ${s.author}, ${s.signedAt}` : 'Not signed');
  if (s.cosign.required) {
    body(
      s.cosign.by ? `Co-signed by ${s.cosign.by}, ${s.cosign.at}` : 'Co-signature required, not yet given',
    );
  }
  for (const a of s.addenda) {
    heading(`Addendum by ${a.author}, ${a.at}`);
    body(a.text);
  }
  doc.moveDown(1);
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor('#52606d')
    .text(t(`Printed ${s.printedOn}.`), left, doc.y);
  doc.end();
  return done;
}
