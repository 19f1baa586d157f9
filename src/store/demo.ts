/**
 * The synthetic demo clinic: the same data for `rein demo` and the admin start page's "load demo".
 * Everything is invented and marked as such (MRNs start DEMO-, emails at example.org, phone numbers
 * in the 555-01xx range reserved for fiction). Deterministic: the same seed gives the same clinic.
 */
import { uuidv7 } from 'uuidv7';
import { countPatients } from './patients';
import {
  bodyMeasurements,
  medications,
  patients,
  type MedicationClass,
  type SexAtBirthValue,
} from './schema';
import type { Tx } from './tx';
import { ConflictError } from './errors';

export const DEMO_PATIENT_COUNT = 60;

/** mulberry32: a small, well-known 32-bit PRNG; good enough for invented demo data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FEMALE_NAMES = [
  'Ava',
  'Maya',
  'Nora',
  'Lena',
  'Iris',
  'Ruth',
  'Clara',
  'Hana',
  'Sofia',
  'Elena',
  'Priya',
  'Grace',
  'Zoe',
  'Amara',
  'Leah',
  'Naomi',
];
const MALE_NAMES = [
  'Owen',
  'Felix',
  'Jonah',
  'Arlo',
  'Theo',
  'Malik',
  'Ravi',
  'Hugo',
  'Elias',
  'Samuel',
  'Kenji',
  'Mateo',
  'Isaac',
  'Tobias',
  'Omar',
  'Luca',
];
const FAMILY_NAMES = [
  'Ashdown',
  'Brightwater',
  'Calloway',
  'Delacroix',
  'Ellery',
  'Fairbanks',
  'Greenhalgh',
  'Holloway',
  'Ingram',
  'Jessop',
  'Kingsley',
  'Lowell',
  'Marchetti',
  'Nakamura',
  'Okafor',
  'Pemberton',
  'Quinlan',
  'Rasmussen',
  'Sandoval',
  'Thorne',
  'Underwood',
  'Valdez',
  'Whitlock',
  'Yardley',
  'Zielinski',
];

interface DemoMedication {
  name: string;
  dose: number;
  doseUnit: string;
  frequency: string;
  classTags: MedicationClass[];
}

const ANTIDEPRESSANTS: DemoMedication[] = [
  { name: 'Sertraline', dose: 100, doseUnit: 'mg', frequency: 'once daily', classTags: ['ssri'] },
  { name: 'Escitalopram', dose: 10, doseUnit: 'mg', frequency: 'once daily', classTags: ['ssri'] },
  { name: 'Fluoxetine', dose: 20, doseUnit: 'mg', frequency: 'once daily', classTags: ['ssri'] },
  { name: 'Venlafaxine XR', dose: 150, doseUnit: 'mg', frequency: 'once daily', classTags: ['snri'] },
  { name: 'Duloxetine', dose: 60, doseUnit: 'mg', frequency: 'once daily', classTags: ['snri'] },
  { name: 'Bupropion XL', dose: 300, doseUnit: 'mg', frequency: 'once daily', classTags: ['other'] },
  { name: 'Mirtazapine', dose: 30, doseUnit: 'mg', frequency: 'at night', classTags: ['other'] },
];
const MAOIS: DemoMedication[] = [
  { name: 'Phenelzine', dose: 15, doseUnit: 'mg', frequency: 'three times daily', classTags: ['maoi'] },
  { name: 'Tranylcypromine', dose: 10, doseUnit: 'mg', frequency: 'twice daily', classTags: ['maoi'] },
];
const BENZODIAZEPINES: DemoMedication[] = [
  { name: 'Lorazepam', dose: 1, doseUnit: 'mg', frequency: 'twice daily', classTags: ['benzodiazepine'] },
  { name: 'Clonazepam', dose: 0.5, doseUnit: 'mg', frequency: 'twice daily', classTags: ['benzodiazepine'] },
  {
    name: 'Alprazolam',
    dose: 0.5,
    doseUnit: 'mg',
    frequency: 'three times daily',
    classTags: ['benzodiazepine'],
  },
  { name: 'Diazepam', dose: 5, doseUnit: 'mg', frequency: 'twice daily', classTags: ['benzodiazepine'] },
];
const OTHERS: Array<{ chance: number; med: DemoMedication }> = [
  {
    chance: 0.12,
    med: {
      name: 'Lamotrigine',
      dose: 200,
      doseUnit: 'mg',
      frequency: 'once daily',
      classTags: ['lamotrigine', 'mood-stabilizer'],
    },
  },
  {
    chance: 0.1,
    med: {
      name: 'Methylphenidate ER',
      dose: 36,
      doseUnit: 'mg',
      frequency: 'every morning',
      classTags: ['stimulant'],
    },
  },
  {
    chance: 0.06,
    med: {
      name: 'Lisdexamfetamine',
      dose: 40,
      doseUnit: 'mg',
      frequency: 'every morning',
      classTags: ['stimulant'],
    },
  },
  {
    chance: 0.05,
    med: { name: 'Naltrexone', dose: 50, doseUnit: 'mg', frequency: 'once daily', classTags: ['naltrexone'] },
  },
  {
    chance: 0.08,
    med: {
      name: 'Quetiapine',
      dose: 50,
      doseUnit: 'mg',
      frequency: 'at night',
      classTags: ['antipsychotic', 'cns-depressant'],
    },
  },
  {
    chance: 0.05,
    med: {
      name: 'Oxycodone',
      dose: 5,
      doseUnit: 'mg',
      frequency: 'as needed, up to 3 times daily',
      classTags: ['opioid'],
    },
  },
  {
    chance: 0.1,
    med: {
      name: 'Lisinopril',
      dose: 10,
      doseUnit: 'mg',
      frequency: 'once daily',
      classTags: ['antihypertensive'],
    },
  },
  {
    chance: 0.06,
    med: {
      name: 'Zolpidem',
      dose: 5,
      doseUnit: 'mg',
      frequency: 'at night as needed',
      classTags: ['sedative-hypnotic', 'cns-depressant'],
    },
  },
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** Approximately normal deviates (sum of uniforms), clamped to a plausible range. */
function normal(rand: () => number, mean: number, sd: number, min: number, max: number): number {
  const z = rand() + rand() + rand() + rand() + rand() + rand() - 3;
  return Math.min(max, Math.max(min, mean + sd * z * Math.SQRT2));
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const round1 = (x: number) => Math.round(x * 10) / 10;

export interface DemoSummary {
  patients: number;
  bodyMeasurements: number;
  medications: number;
}

/**
 * Loads the demo patients into a clinic that has none, in the caller's transaction (all or nothing).
 * `recordedBy` is the user the entries are attributed to.
 */
export async function loadDemoData(
  tx: Tx,
  clinicId: string,
  recordedBy: string,
  now: Date,
  seed = 20261126,
): Promise<DemoSummary> {
  if ((await countPatients(tx, clinicId)) > 0) {
    throw new ConflictError('clinic', 'the demo can only be loaded into a clinic without patients');
  }
  const rand = prng(seed);
  const patientRows: (typeof patients.$inferInsert)[] = [];
  const measurementRows: (typeof bodyMeasurements.$inferInsert)[] = [];
  const medicationRows: (typeof medications.$inferInsert)[] = [];
  const day = 86_400_000;

  for (let i = 0; i < DEMO_PATIENT_COUNT; i++) {
    const sexAtBirth: SexAtBirthValue = rand() < 0.58 ? 'female' : 'male';
    const givenName = pick(rand, sexAtBirth === 'female' ? FEMALE_NAMES : MALE_NAMES);
    const familyName = pick(rand, FAMILY_NAMES);
    const ageYears = Math.floor(normal(rand, 41, 12, 19, 78));
    const dob = new Date(now.getTime() - (ageYears * 365.25 + rand() * 300) * day);
    const id = uuidv7();
    patientRows.push({
      clinicId,
      id,
      mrn: `DEMO-${String(1001 + i)}`,
      givenName,
      familyName,
      dateOfBirth: isoDate(dob),
      sexAtBirth,
      genderIdentity: rand() < 0.06 ? 'non-binary' : null,
      pronouns: null,
      phone: `555-01${String(i % 100).padStart(2, '0')}`,
      email: `${givenName.toLowerCase()}.${familyName.toLowerCase()}.${i}@example.org`,
      emergencyContactName: `${pick(rand, [...FEMALE_NAMES, ...MALE_NAMES])} ${familyName}`,
      emergencyContactPhone: `555-01${String((i + 37) % 100).padStart(2, '0')}`,
      emergencyContactRelationship: pick(rand, ['partner', 'parent', 'sibling', 'friend']),
    });

    const heightCm = round1(
      sexAtBirth === 'female' ? normal(rand, 164, 7, 148, 185) : normal(rand, 177, 7, 158, 200),
    );
    const bmiTarget = normal(rand, 27, 5, 18.5, 42);
    let weightKg = round1(bmiTarget * (heightCm / 100) ** 2);
    const visits = 1 + Math.floor(rand() * 3);
    for (let v = 0; v < visits; v++) {
      measurementRows.push({
        clinicId,
        id: uuidv7(),
        patientId: id,
        measuredAt: new Date(now.getTime() - (visits - v) * (20 + Math.floor(rand() * 20)) * day),
        weightKg,
        heightCm: v === 0 ? heightCm : null,
        recordedBy,
      });
      weightKg = round1(weightKg + normal(rand, 0, 1.2, -3, 3));
    }

    const started = (monthsAgo: number) => isoDate(new Date(now.getTime() - monthsAgo * 30 * day));
    const meds: DemoMedication[] = [];
    const onMaoi = rand() < 0.06;
    meds.push(onMaoi ? pick(rand, MAOIS) : pick(rand, ANTIDEPRESSANTS));
    if (rand() < 0.28) meds.push(pick(rand, BENZODIAZEPINES));
    for (const { chance, med } of OTHERS) {
      // Stimulants and opioids are not combined with an MAOI in this invented clinic.
      if (onMaoi && (med.classTags.includes('stimulant') || med.classTags.includes('opioid'))) continue;
      if (rand() < chance) meds.push(med);
    }
    for (const med of meds) {
      medicationRows.push({
        clinicId,
        id: uuidv7(),
        patientId: id,
        name: med.name,
        rxnormCode: null,
        dose: med.dose,
        doseUnit: med.doseUnit,
        frequency: med.frequency,
        classTags: med.classTags,
        startDate: started(2 + Math.floor(rand() * 40)),
        stopDate: null,
        notes: null,
        createdBy: recordedBy,
      });
    }
  }

  await tx.insert(patients).values(patientRows);
  await tx.insert(bodyMeasurements).values(measurementRows);
  await tx.insert(medications).values(medicationRows);
  return {
    patients: patientRows.length,
    bodyMeasurements: measurementRows.length,
    medications: medicationRows.length,
  };
}
