/**
 * A printable copy of the SPRAVATO REMS Patient Monitoring Form, filled from the
 * session's records by the pure core (buildRemsMonitoringForm). Mapping only: the clinic still
 * submits the form through the REMS; this is the clinic's record and a transcription aid.
 */
import type { RemsPatientMonitoringForm } from '../clinical/protocols';
import { pdfSafe } from './taper-pdf';
import { loadPdfDocument } from './pdf-document';

export interface RemsPdfMeta {
  clinicName?: string;
  /** ISO date the document was made (the caller passes it: no clock here). */
  madeOn: string;
  warnings?: readonly string[];
  /** Default true; tests pass false to read the text. */
  compress?: boolean;
}

const INK = '#1f2933';
const MUTED = '#52606d';
const RULE = '#cbd2d9';

const yn = (b: boolean) => (b ? 'Yes' : 'No');
const bp = (r: { sbpMmHg: number; dbpMmHg: number }) => `${r.sbpMmHg}/${r.dbpMmHg} mmHg`;

/** The form as labelled sections of rows (also used by the web print view's tests). */
export function remsFormRows(f: RemsPatientMonitoringForm): { title: string; rows: [string, string][] }[] {
  const observed = (o: { observed: boolean; details?: string | undefined }) =>
    o.observed ? `Yes${o.details ? ` — ${o.details}` : ''}` : 'No';
  return [
    {
      title: 'Patient',
      rows: [
        [
          'Name',
          `${f.patient.firstName}${f.patient.middleInitial ? ` ${f.patient.middleInitial}.` : ''} ${f.patient.lastName}`,
        ],
        ['Date of birth', f.patient.dateOfBirth],
        ['Sex', f.patient.sex],
        ['First treatment', yn(f.patient.firstTreatment)],
        ['Enrolled in the REMS', yn(f.patient.enrolledInRems)],
      ],
    },
    {
      title: 'Concomitant medications',
      rows: [
        ['Benzodiazepines', yn(f.concomitantMedications.benzodiazepines)],
        [
          'Non-benzodiazepine sedative hypnotics',
          yn(f.concomitantMedications.nonBenzodiazepineSedativeHypnotics),
        ],
        ['Psychostimulants', yn(f.concomitantMedications.psychostimulants)],
        ['MAOIs', yn(f.concomitantMedications.maois)],
        ['Opioids', yn(f.concomitantMedications.opioids)],
      ],
    },
    {
      title: 'Monitoring health-care provider and setting',
      rows: [
        ['Provider', f.monitoringHcp.name],
        ['Phone', f.monitoringHcp.phone],
        ['Email', f.monitoringHcp.email],
        ['Setting', f.setting.name],
        ['Address', f.setting.address],
      ],
    },
    {
      title: 'Treatment',
      rows: [
        ['Date', f.treatment.date],
        ['Dose', f.treatment.dose === 'other' ? `${f.treatment.otherDoseMg ?? '?'} mg` : f.treatment.dose],
        ['Lot number', f.treatment.lotNumber],
        ['Total monitoring time', `${f.treatment.totalDurationMin} min`],
        ['Ready to leave without the 2-h rule', `${f.readyToLeaveMinFromStart} min after the first device`],
      ],
    },
    {
      title: 'Vital signs',
      rows: [
        ['Acceptable before administration', yn(f.vitalSignsAcceptable.beforeAdministration)],
        ['Acceptable before treatment completion', yn(f.vitalSignsAcceptable.beforeTreatmentCompletion)],
        ['BP before administration', bp(f.bloodPressure.beforeAdministration)],
        ['BP ~40 min after administration', bp(f.bloodPressure.at40MinPostAdministration)],
        ['BP before treatment completion', bp(f.bloodPressure.beforeTreatmentCompletion)],
      ],
    },
    {
      title: 'Observations',
      rows: [
        ['Sedation', observed(f.sedation)],
        ['Dissociation', observed(f.dissociation)],
        ['Respiratory depression', observed(f.respiratoryDepression)],
        ['Pulse oximetry monitored', yn(f.pulseOximetryMonitored)],
        ['Serious adverse event reported', yn(f.seriousAdverseEventReported)],
      ],
    },
  ];
}

export async function remsPdf(form: RemsPatientMonitoringForm, meta: RemsPdfMeta): Promise<Buffer> {
  const PDFDocument = await loadPdfDocument();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: meta.compress ?? true,
    info: { Title: 'SPRAVATO REMS Patient Monitoring Form (clinic copy)', Producer: 'Rein', Creator: 'Rein' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const t = (s: string) => pdfSafe(s);
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.fillColor(INK).font('Helvetica-Bold').fontSize(16).text(t('SPRAVATO REMS Patient Monitoring Form'));
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text(
      t(
        `Clinic copy filled from the session record${meta.clinicName ? ` at ${meta.clinicName}` : ''}, made ${meta.madeOn}. Submit within 7 days of the treatment through the REMS.`,
      ),
    );
  doc.moveDown(0.6);
  for (const section of remsFormRows(form)) {
    doc.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(t(section.title));
    doc
      .moveTo(left, doc.y + 1)
      .lineTo(left + width, doc.y + 1)
      .strokeColor(RULE)
      .lineWidth(0.5)
      .stroke();
    doc.moveDown(0.3);
    for (const [label, value] of section.rows) {
      const y = doc.y;
      doc
        .font('Helvetica')
        .fontSize(10)
        .fillColor(MUTED)
        .text(t(label), left, y, { width: width * 0.45 });
      const h1 = doc.y;
      doc.fillColor(INK).text(t(value), left + width * 0.48, y, { width: width * 0.52 });
      doc.y = Math.max(h1, doc.y) + 2;
      doc.x = left;
    }
    doc.moveDown(0.5);
  }
  if (meta.warnings && meta.warnings.length > 0) {
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text('Notes');
    doc.font('Helvetica').fontSize(9).fillColor(MUTED);
    for (const w of meta.warnings) doc.text(t(`• ${w}`));
  }
  doc.end();
  return done;
}
