import { describe, expect, it } from 'vitest';
import { buildRemsMonitoringForm } from '../clinical/protocols';
import { remsFormRows, remsPdf } from './rems-pdf';

const built = buildRemsMonitoringForm({
  patient: {
    firstName: 'Ada',
    lastName: 'Example',
    dateOfBirth: '1980-01-01',
    sex: 'female',
    firstTreatment: true,
    enrolledInRems: true,
  },
  medications: [{ name: 'lorazepam', doseMg: 1, frequency: 'once-daily', classTags: ['benzodiazepine'] }],
  monitoringHcp: { name: 'Dr Who', phone: '555', email: 'hcp@example.org' },
  setting: { name: 'Clinic', address: '1 Main St' },
  sessionDate: '2026-03-02',
  doseMg: 84,
  lotNumber: 'LOT-1',
  monitoringEndMin: 125,
  readyToLeaveMinFromStart: 80,
  bpReadings: [
    { timeMin: 0, sbpMmHg: 120, dbpMmHg: 80 },
    { timeMin: 40, sbpMmHg: 139, dbpMmHg: 88 },
    { timeMin: 120, sbpMmHg: 126, dbpMmHg: 79 },
  ],
  vitalSignsAcceptableBeforeAdministration: true,
  vitalSignsAcceptableBeforeCompletion: true,
  sedation: { observed: false },
  dissociation: { observed: true },
  respiratoryDepression: { observed: false },
  pulseOximetryMonitored: true,
  seriousAdverseEventReported: false,
});

/** The text drawn by pdfkit (hex-encoded TJ arrays in an uncompressed PDF). */
function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of src.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    lines.push(
      [...m[1]!.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map((h) => Buffer.from(h[1]!, 'hex').toString('latin1'))
        .join(''),
    );
  }
  return lines.join(' ').replace(/\s+/g, ' ');
}

describe('REMS Patient Monitoring Form PDF', () => {
  it('lays out every section with the recorded values', () => {
    if (!built.ok) throw new Error(built.missing.join());
    const rows = remsFormRows(built.form);
    expect(rows.map((r) => r.title)).toEqual([
      'Patient',
      'Concomitant medications',
      'Monitoring health-care provider and setting',
      'Treatment',
      'Vital signs',
      'Observations',
    ]);
    const flat = Object.fromEntries(rows.flatMap((r) => r.rows));
    expect(flat['BP ~40 min after administration']).toBe('139/88 mmHg');
    expect(flat['Benzodiazepines']).toBe('Yes');
    expect(flat['Dose']).toBe('84 mg');
    expect(flat['Dissociation']).toBe('Yes');
  });

  it('renders a PDF containing the values', async () => {
    if (!built.ok) throw new Error(built.missing.join());
    const pdf = await remsPdf(built.form, { madeOn: '2026-03-02', compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('SPRAVATO REMS Patient Monitoring Form');
    expect(text).toContain('LOT-1');
    expect(text).toContain('139/88 mmHg');
    expect(text).toContain('Ada Example');
  });
});
