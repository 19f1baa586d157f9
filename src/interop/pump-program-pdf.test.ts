import { describe, expect, it } from 'vitest';
import { pdfText } from './pdf-text-test-support';
import { NOT_RECORDED, pumpProgramPdf, type PumpProgramSheet } from './pump-program-pdf';

const sheet: PumpProgramSheet = {
  clinic: { name: 'Lakeside Clinic', phone: '+1 312 555 0100' },
  patient: { fullName: 'Ann Example', dateOfBirth: '1980-02-03', mrn: 'MRN-7' },
  sessionDate: '2026-03-02',
  drug: { name: 'Ketamine', finalConcentrationMgPerMl: 0.4, vialMgPerMl: 50, drugVolumeMl: 0.8, bagMl: 100 },
  diluent: '0.9% sodium chloride',
  lotNumber: 'LOT-9',
  prescriber: 'Dr Prescriber',
  computedBy: 'Nina Nurse',
  computedOn: '2026-03-02 09:14',
  weightKg: 80,
  weightMeasuredOn: '2026-03-02',
  doseMg: 40,
  doseMgPerKg: 0.5,
  totalVolumeMl: 100.8,
  vtbiMl: 100.8,
  rateMlPerH: 151.2,
  durationMin: 40,
  assumptions: ['Rate rounded to the pump resolution of 0.1 mL/h.'],
  madeOn: '2026-03-02',
};

describe('pump program PDF', () => {
  it('prints what the bag label and the pump need, read back from the compressed file', async () => {
    const pdf = await pumpProgramPdf(sheet);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Compressed as the server sends it: the words are not in the raw bytes.
    expect(pdf.toString('latin1')).not.toContain('Ann Example');
    const text = pdfText(pdf);
    for (const words of [
      'Pump program: Ketamine',
      'Lakeside Clinic. Phone: +1 312 555 0100',
      'Ann Example, born 1980-02-03',
      'MRN-7',
      '0.4 mg/mL',
      '0.8 mL of 50 mg/mL into a 100 mL bag',
      '0.9% sodium chloride',
      'LOT-9',
      'Dr Prescriber',
      'Nina Nurse, 2026-03-02 09:14',
      '80 kg, measured 2026-03-02',
      '40 mg (0.5 mg/kg)',
      '151.2 mL/h',
      '100.8 mL',
      '40 min',
    ]) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain(NOT_RECORDED);
  });

  it('says NOT RECORDED where the diluent or the lot is missing, and when the phone is', async () => {
    const text = pdfText(
      await pumpProgramPdf({ ...sheet, diluent: null, lotNumber: null, clinic: { name: 'X', phone: null } }),
    );
    expect(text.split(NOT_RECORDED)).toHaveLength(3);
    expect(text).toContain('X. Phone: not recorded');
  });
});
