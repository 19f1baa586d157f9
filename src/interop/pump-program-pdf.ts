/**
 * The IV pump program as a sheet a nurse can hang on the pump: what is in the bag, whose bag it
 * is (two identifiers), who ordered and who computed it, and the numbers to program. Mapping
 * only: every number comes from the session's recorded dose plan (the PK engine's pump program).
 */
import { pdfSafe } from './taper-pdf';
import { loadPdfDocument } from './pdf-document';

/** Printed where a value the bag label needs was not recorded with the plan. */
export const NOT_RECORDED = 'NOT RECORDED - write it in before hanging';

export interface PumpProgramSheet {
  clinic: { name: string; phone: string | null };
  patient: { fullName: string; dateOfBirth: string; mrn: string };
  /** The session's scheduled date (clinic-local). */
  sessionDate: string;
  drug: {
    name: string;
    /** Concentration in the bag after dilution. */
    finalConcentrationMgPerMl: number;
    vialMgPerMl: number;
    drugVolumeMl: number;
    bagMl: number;
  };
  diluent: string | null;
  lotNumber: string | null;
  /** Who prescribed the course. */
  prescriber: string;
  /** Who computed the plan, and when (ISO instant shown as given). */
  computedBy: string;
  computedOn: string;
  weightKg: number;
  weightMeasuredOn: string;
  doseMg: number;
  doseMgPerKg: number | null;
  totalVolumeMl: number;
  vtbiMl: number;
  rateMlPerH: number;
  durationMin: number;
  /** The PK engine's stated assumptions (rounding to the pump's resolution and the like). */
  assumptions: readonly string[];
  /** ISO date the sheet was printed (the caller passes it: no clock here). */
  madeOn: string;
  /** Default true; tests may pass false. */
  compress?: boolean;
}

const INK = '#1f2933';
const MUTED = '#52606d';
const RULE = '#cbd2d9';
const WARN = '#c92a2a';

/** Up to `digits` decimals, without trailing zeros: 151.2, 40, 0.5. */
const n = (value: number, digits = 2) => String(Number(value.toFixed(digits)));

/** The sheet as labelled sections of rows; a null value is printed as NOT RECORDED. */
export function pumpProgramRows(s: PumpProgramSheet): { title: string; rows: [string, string | null][] }[] {
  return [
    {
      title: 'Patient (check both identifiers against the wristband)',
      rows: [
        ['Name and date of birth', `${s.patient.fullName}, born ${s.patient.dateOfBirth}`],
        ['Record number (MRN)', s.patient.mrn],
        ['Session date', s.sessionDate],
      ],
    },
    {
      title: 'Bag',
      rows: [
        ['Drug', s.drug.name],
        ['Concentration in the bag', `${n(s.drug.finalConcentrationMgPerMl, 4)} mg/mL`],
        [
          'Drug drawn up',
          `${n(s.drug.drugVolumeMl)} mL of ${n(s.drug.vialMgPerMl)} mg/mL into a ${n(s.drug.bagMl)} mL bag`,
        ],
        ['Diluent', s.diluent],
        ['Lot number', s.lotNumber],
      ],
    },
    {
      title: 'Dose',
      rows: [
        ['Weight', `${n(s.weightKg, 1)} kg, measured ${s.weightMeasuredOn}`],
        [
          'Dose',
          s.doseMgPerKg === null ? `${n(s.doseMg)} mg` : `${n(s.doseMg)} mg (${n(s.doseMgPerKg, 3)} mg/kg)`,
        ],
        ['Prescriber', s.prescriber],
        ['Computed by', `${s.computedBy}, ${s.computedOn}`],
      ],
    },
    {
      title: 'Program the pump',
      rows: [
        ['Rate', `${n(s.rateMlPerH, 1)} mL/h`],
        ['Volume to be infused (VTBI)', `${n(s.vtbiMl, 1)} mL`],
        ['Total volume in the bag', `${n(s.totalVolumeMl, 1)} mL`],
        ['Duration', `${n(s.durationMin, 0)} min`],
      ],
    },
  ];
}

export async function pumpProgramPdf(s: PumpProgramSheet): Promise<Buffer> {
  const PDFDocument = await loadPdfDocument();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: s.compress ?? true,
    info: { Title: 'Pump program', Producer: 'Rein', Creator: 'Rein' },
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

  doc
    .fillColor(INK)
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(t(`Pump program: ${s.drug.name}`));
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(MUTED)
    .text(t(`${s.clinic.name}. Phone: ${s.clinic.phone ?? 'not recorded'}`));
  doc.moveDown(0.6);
  for (const section of pumpProgramRows(s)) {
    doc.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(t(section.title), left, doc.y);
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
        .fontSize(11)
        .fillColor(MUTED)
        .text(t(label), left, y, { width: width * 0.38 });
      const afterLabel = doc.y;
      doc
        .font('Helvetica-Bold')
        .fillColor(value === null ? WARN : INK)
        .text(t(value ?? NOT_RECORDED), left + width * 0.4, y, { width: width * 0.6 });
      doc.y = Math.max(afterLabel, doc.y) + 3;
      doc.x = left;
    }
    doc.moveDown(0.5);
  }
  if (s.assumptions.length > 0) {
    doc.font('Helvetica-Bold').fontSize(9).fillColor(INK).text('How the numbers were computed', left, doc.y);
    doc.font('Helvetica').fontSize(8.5).fillColor(MUTED);
    for (const a of s.assumptions) doc.text(t(`• ${a}`), { width });
    doc.moveDown(0.5);
  }
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(MUTED)
    .text(
      t(
        `Printed ${s.madeOn} from the session record. Check the bag and the pump against this sheet before starting.`,
      ),
      left,
      doc.y,
      { width },
    );
  doc.end();
  return done;
}
