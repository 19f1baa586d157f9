/** Public API of the medication taper planner. Pure: no I/O, no clock. */
export * from './benzodiazepines';
export * from './doseForms';
export * from './drugs';
export * from './ketamine';
export * from './occupancy';
export * from './plan';
export * from './rules';
export * from './sources';
export * from './checkin';
export * from './api';
export * from './lifecycle';
export * from './decision-due';
export * from './from-medication';
