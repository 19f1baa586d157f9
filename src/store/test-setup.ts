/** Vitest setup file, run in every test worker before its tests. */
import { useCheapPasswordHashingInTests } from './passwords';

useCheapPasswordHashingInTests();
