/**
 * The layer rules of eslint.config.js, proved: for every rule a snippet that breaks it is linted as
 * if it lived in that layer (virtual file paths; nothing is written) and must be refused, and a
 * snippet the rule allows must pass.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The rule ids of the errors ESLint reports for `code` placed at `filePath`. */
async function errorsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const use = (names: string) => `\nexport const used = [${names}];\n`;

interface Case {
  rule: string;
  file: string;
  breaks: string;
  allowed: string;
}

const cases: Case[] = [
  {
    rule: 'clinical → nothing (no shells)',
    file: 'src/clinical/x.ts',
    breaks: `import { getPatient } from '../store/patients';${use('getPatient')}`,
    allowed: `import { z } from 'zod';\nimport { ClinicalInputError } from './errors';${use('z, ClinicalInputError')}`,
  },
  {
    rule: 'clinical → no I/O modules',
    file: 'src/clinical/pk/x.ts',
    breaks: `import { readFileSync } from 'node:fs';${use('readFileSync')}`,
    allowed: `import { parseDose } from './regimen';${use('parseDose')}`,
  },
  {
    rule: 'clinical → no frameworks or drivers',
    file: 'src/clinical/x.ts',
    breaks: `import { sql } from 'drizzle-orm';${use('sql')}`,
    allowed: `import { z } from 'zod';${use('z')}`,
  },
  {
    rule: 'clinical/vocabulary → zod and its own files only',
    file: 'src/clinical/vocabulary/x.ts',
    breaks: `import { PLAUSIBLE } from '../plausibility';${use('PLAUSIBLE')}`,
    allowed: `import { z } from 'zod';\nimport { MODALITIES } from './modalities';${use('z, MODALITIES')}`,
  },
  {
    rule: 'store → clinical types only',
    file: 'src/store/x.ts',
    breaks: `import { checkMedicationDose } from '../clinical/plausibility';${use('checkMedicationDose')}`,
    allowed:
      `import type { CourseTemplate } from '../clinical/protocols';\n` +
      `import { MODALITIES } from '../clinical/vocabulary/modalities';\n` +
      `export type T = CourseTemplate;${use('MODALITIES')}`,
  },
  {
    rule: 'store → no app, server or interop',
    file: 'src/store/x.ts',
    breaks: `import { recordAudit } from '../app/context';${use('recordAudit')}`,
    allowed: `import { inClinic } from './tx';${use('inClinic')}`,
  },
  {
    rule: 'interop → clinical only',
    file: 'src/interop/fhir/x.ts',
    breaks: `import { getPatient } from '../../store/patients';${use('getPatient')}`,
    allowed: `import { INSTRUMENT_IDS } from '../../clinical/vocabulary';${use('INSTRUMENT_IDS')}`,
  },
  {
    rule: 'app → store, clinical, interop (never a shell)',
    file: 'src/app/x.ts',
    breaks: `import { caller } from '../server/context';${use('caller')}`,
    allowed:
      `import { getPatient } from '../store/patients';\nimport { csvRow } from '../interop/csv';\n` +
      `import { ageInYears } from '../clinical/calendar';${use('getPatient, csvRow, ageInYears')}`,
  },
  {
    rule: 'app → the shared request contracts in server/schemas, and nothing else of the server',
    file: 'src/app/x.ts',
    breaks: `import { errorResponses } from '../server/dto';${use('errorResponses')}`,
    allowed: `import { patientCreateSchema } from '../server/schemas/patients';${use('patientCreateSchema')}`,
  },
  {
    rule: 'app → no transport or UI framework',
    file: 'src/app/x.ts',
    breaks: `import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;\n`,
    allowed: `import type { Tx } from '../store/tx';\nexport type T = Tx;\n`,
  },
  {
    rule: 'server → no store values (through src/app)',
    file: 'src/server/routes/x.ts',
    breaks: `import { getPatient } from '../../store/patients';${use('getPatient')}`,
    allowed:
      `import type { Patient } from '../../store/patients';\nimport { inClinicAs } from '../../app/context';\n` +
      `export type P = Patient;${use('inClinicAs')}`,
  },
  {
    rule: 'server → no clinical rules (they run in src/app)',
    file: 'src/server/routes/x.ts',
    breaks: `import { planInfusion } from '../../clinical/pk';${use('planInfusion')}`,
    allowed: `import { MODALITIES } from '../../clinical/vocabulary';${use('MODALITIES')}`,
  },
  {
    rule: 'server → no cli, demo or web',
    file: 'src/server/plugins/x.ts',
    breaks: `import { UsageError } from '../../cli/errors';${use('UsageError')}`,
    allowed: `import { HttpError } from '../http-errors';${use('HttpError')}`,
  },
  {
    rule: 'server/schemas → zod and clinical only',
    file: 'src/server/schemas/x.ts',
    breaks: `import { ADMIN_ONLY } from '../access';${use('ADMIN_ONLY')}`,
    allowed:
      `import { z } from 'zod';\nimport { planRequestSchema } from '../../clinical/pk';\n` +
      `import { userDto } from './users';${use('z, planRequestSchema, userDto')}`,
  },
  {
    rule: 'server/schemas → no frameworks',
    file: 'src/server/schemas/x.ts',
    breaks: `import type { FastifyInstance } from 'fastify';\nexport type F = FastifyInstance;\n`,
    allowed: `import { z } from 'zod';${use('z')}`,
  },
  {
    rule: 'cli → app (no store values)',
    file: 'src/cli/x.ts',
    breaks: `import { openStore } from '../store/open';${use('openStore')}`,
    allowed: `import { inClinicAs } from '../app/context';${use('inClinicAs')}`,
  },
  {
    rule: 'cli → no clinical core (through src/app)',
    file: 'src/cli/x.ts',
    breaks: `import { planInfusion } from '../clinical/pk';${use('planInfusion')}`,
    allowed: `import { simulateForClinic } from '../app/pk';${use('simulateForClinic')}`,
  },
  {
    rule: 'cli → server only from serve.ts',
    file: 'src/cli/x.ts',
    breaks: `import { buildApp } from '../server/app';${use('buildApp')}`,
    allowed: `import { UsageError } from './errors';${use('UsageError')}`,
  },
  {
    rule: 'cli → the shared contracts of server/schemas, nothing else of the server',
    file: 'src/cli/x.ts',
    breaks: `import { USERS_ACCESS } from '../server/routes/users';${use('USERS_ACCESS')}`,
    allowed: `import { userCreateSchema } from '../server/schemas/users';${use('userCreateSchema')}`,
  },
  {
    rule: 'cli/store.ts opens the store and reads the config, nothing more',
    file: 'src/cli/store.ts',
    breaks: `import { sealAudit } from '../store/audit';${use('sealAudit')}`,
    allowed:
      `import { openStore } from '../store/open';
import { loadConfig } from '../server/config';` + use('openStore, loadConfig'),
  },
  {
    rule: 'cli/serve.ts starts the server, nothing more of it',
    file: 'src/cli/serve.ts',
    breaks: `import { caller } from '../server/context';${use('caller')}`,
    allowed: `import { buildApp } from '../server/app';${use('buildApp')}`,
  },
  {
    rule: 'demo → app (no store values)',
    file: 'src/demo/x.ts',
    breaks: `import { createPatient } from '../store/patients';${use('createPatient')}`,
    allowed: `import { inClinicAs } from '../app/context';${use('inClinicAs')}`,
  },
  {
    rule: 'demo → the clinical core for its rules, never the store (not even types)',
    file: 'src/demo/x.ts',
    breaks: `import type { Patient } from '../store/patients';\nexport type P = Patient;\n`,
    allowed: `import { planInfusion } from '../clinical/pk';${use('planInfusion')}`,
  },
  {
    rule: 'server → demo only from the clinic route, through src/demo/load.ts',
    file: 'src/server/routes/x.ts',
    breaks: `import { loadDemoClinic } from '../../demo/load';${use('loadDemoClinic')}`,
    allowed: `import { inClinicAs } from '../../app/context';${use('inClinicAs')}`,
  },
  {
    rule: 'server/routes/clinic.ts → demo/load, nothing else of the demo',
    file: 'src/server/routes/clinic.ts',
    breaks: `import { generatePatients } from '../../demo/generate';${use('generatePatients')}`,
    allowed: `import { loadDemoClinic } from '../../demo/load';${use('loadDemoClinic')}`,
  },
  {
    rule: 'cli → demo through src/demo/load.ts only',
    file: 'src/cli/x.ts',
    breaks: `import { generatePatients } from '../demo/generate';${use('generatePatients')}`,
    allowed: `import { loadDemoIntoClinic } from '../demo/load';${use('loadDemoIntoClinic')}`,
  },
  {
    rule: 'web → no clinical beyond the vocabulary',
    file: 'src/web/pages/X.tsx',
    breaks: `import { planInfusion } from '../../clinical/pk';${use('planInfusion')}`,
    allowed: `import { PLAUSIBLE } from '../../clinical/vocabulary';${use('PLAUSIBLE')}`,
  },
  {
    rule: 'web → no server beyond the shared schemas',
    file: 'src/web/pages/X.tsx',
    breaks: `import { PK_ACCESS } from '../../server/routes/pk';${use('PK_ACCESS')}`,
    allowed: `import { userCreateBody } from '../../server/schemas/users';${use('userCreateBody')}`,
  },
  {
    rule: 'web → no app or store',
    file: 'src/web/components/X.tsx',
    breaks: `import { listClinicUsers } from '../../app/users';${use('listClinicUsers')}`,
    allowed: `import { api } from '../api/client';${use('api')}`,
  },
];

describe('layer rules', () => {
  it.each(cases)('$rule: refuses the violation, allows the rest', async (c) => {
    expect(await errorsFor(c.file, c.breaks)).toContain('no-restricted-imports');
    expect(await errorsFor(c.file, c.allowed)).toEqual([]);
  });
});

/** Lazily loaded modules (`import('…')`) obey the same layer rules as static imports. */
const dynamicCases: Case[] = [
  {
    rule: 'cli → app, also when loaded on use',
    file: 'src/cli/x.ts',
    breaks: `export const load = () => import('../store/audit');\n`,
    allowed: `export const load = () => import('../app/audit');\n`,
  },
  {
    rule: 'cli/serve.ts → no store, also when loaded on use',
    file: 'src/cli/serve.ts',
    breaks: `export const load = () => import('../store/open');\n`,
    allowed: `export const load = () => Promise.all([import('../server/log-format'), import('./store')]);\n`,
  },
  {
    rule: 'clinical → no I/O modules, also when loaded on use',
    file: 'src/clinical/x.ts',
    breaks: `export const load = () => import('node:fs');\n`,
    allowed: `export const load = () => import('./errors');\n`,
  },
  {
    rule: 'web → no app, also when loaded on use',
    file: 'src/web/pages/X.tsx',
    breaks: `export const load = () => import('../../app/users');\n`,
    allowed: `export const load = () => import('./PatientPage');\n`,
  },
];

describe('layer rules for dynamic imports', () => {
  it.each(dynamicCases)('$rule: refuses the violation, allows the rest', async (c) => {
    expect(await errorsFor(c.file, c.breaks)).toContain('layers/no-restricted-dynamic-imports');
    expect(await errorsFor(c.file, c.allowed)).toEqual([]);
  });
});

describe('react-hooks', () => {
  it('refuses a hook called conditionally in a web component', async () => {
    const code = [
      `import { useState } from 'react';`,
      `export function Badge(props: { show: boolean }) {`,
      `  if (!props.show) return null;`,
      `  const [n] = useState(0);`,
      `  return n;`,
      `}`,
      ``,
    ].join('\n');
    expect(await errorsFor('src/web/components/Badge.tsx', code)).toContain('react-hooks/rules-of-hooks');
  });

  it('refuses an impure call during render', async () => {
    const code = [`export function Clock() {`, `  return <span>{Date.now()}</span>;`, `}`, ``].join('\n');
    expect(await errorsFor('src/web/components/Clock.tsx', code)).toContain('react-hooks/purity');
  });
});
