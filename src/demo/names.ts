/**
 * Invented names and the realistic medication lists of the synthetic demo. Nobody here is real:
 * the names are combined at random and every record is marked synthetic.
 */
import type { MedicationClass } from '../clinical/vocabulary/medication-classes';

export const FEMALE_NAMES = [
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
export const MALE_NAMES = [
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
export const FAMILY_NAMES = [
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

export interface DemoMedication {
  name: string;
  dose: number;
  doseUnit: string;
  frequency: string;
  classTags: MedicationClass[];
}

export const ANTIDEPRESSANTS: DemoMedication[] = [
  { name: 'Sertraline', dose: 100, doseUnit: 'mg', frequency: 'once daily', classTags: ['ssri'] },
  { name: 'Escitalopram', dose: 10, doseUnit: 'mg', frequency: 'once daily', classTags: ['ssri'] },
  { name: 'Fluoxetine', dose: 20, doseUnit: 'mg', frequency: 'once daily', classTags: ['ssri'] },
  { name: 'Venlafaxine XR', dose: 150, doseUnit: 'mg', frequency: 'once daily', classTags: ['snri'] },
  { name: 'Duloxetine', dose: 60, doseUnit: 'mg', frequency: 'once daily', classTags: ['snri'] },
  { name: 'Bupropion XL', dose: 300, doseUnit: 'mg', frequency: 'once daily', classTags: ['other'] },
  { name: 'Mirtazapine', dose: 30, doseUnit: 'mg', frequency: 'at night', classTags: ['other'] },
];
export const MAOIS: DemoMedication[] = [
  { name: 'Phenelzine', dose: 15, doseUnit: 'mg', frequency: 'three times daily', classTags: ['maoi'] },
  { name: 'Tranylcypromine', dose: 10, doseUnit: 'mg', frequency: 'twice daily', classTags: ['maoi'] },
];
export const BENZODIAZEPINES: DemoMedication[] = [
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
export const OTHERS: Array<{ chance: number; med: DemoMedication }> = [
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
