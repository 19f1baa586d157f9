export * from './allergies';
export * from './diagnoses';
export * from './treatment-resistance';
