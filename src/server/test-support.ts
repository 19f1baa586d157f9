/**
 * Helpers for HTTP tests through `app.inject()` (no port is opened). Test passwords are random per
 * run; nothing here is a default credential.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { uuidv7 } from 'uuidv7';
import type { Store } from '../store/open';
import type { StaffRole } from '../store/schema';
import { inClinic } from '../store/tx';
import { createClinic, createUser } from '../store/users';
import { buildApp, type AppOptions } from './app';

export async function createTestApp(store: Store, opts: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  // Two-factor sign-in is off for HTTP tests unless a test turns it on: the other suites sign in
  // with a password alone (the two-factor suites set it).
  const app = await buildApp({ store, webDir: '/nonexistent', twoFactorRequired: false, ...opts });
  await app.ready();
  return app;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: StaffRole;
  clinicalLead: boolean;
}

export interface TestClinic {
  id: string;
  name: string;
  users: Record<StaffRole, TestUser>;
}

const ROLES_TO_SEED: StaffRole[] = ['admin', 'prescriber', 'nurse', 'staff'];

export async function seedClinic(store: Store, name: string): Promise<TestClinic> {
  const clinicId = uuidv7();
  const tag = randomBytes(4).toString('hex');
  return inClinic(store.db, clinicId, async (tx) => {
    await createClinic(tx, { id: clinicId, name, timeZone: 'UTC' });
    const users = {} as Record<StaffRole, TestUser>;
    for (const role of ROLES_TO_SEED) {
      const password = `pw-${randomBytes(12).toString('base64url')}`;
      const email = `${role}.${tag}@test.example.org`;
      // The admin signs off the clinic's settings, as a new clinic's first admin does.
      const clinicalLead = role === 'admin';
      const user = await createUser(
        tx,
        clinicId,
        { email, name: `${role} ${name}`, role, password },
        { clinicalLead },
      );
      users[role] = { id: user.id, email, password, role, clinicalLead };
    }
    return { id: clinicId, name, users };
  });
}

export interface Session {
  cookie: string;
  csrfToken: string;
  /** inject() with the session cookie and CSRF header set. */
  request(opts: { method: string; url: string; payload?: unknown }): Promise<LightMyRequestResponse>;
}

export function sessionCookieFrom(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'rein_session');
  if (!cookie) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `rein_session=${cookie.value}`;
}

export async function login(
  app: FastifyInstance,
  user: { email: string; password: string },
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.email, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieFrom(res);
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrfToken,
    request: ({ method, url, payload }) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, 'x-csrf-token': csrfToken },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
  };
}

export const samplePatient = (overrides: Record<string, unknown> = {}) => ({
  mrn: `MRN-${randomBytes(4).toString('hex')}`,
  givenName: 'Test',
  familyName: 'Person',
  dateOfBirth: '1980-04-12',
  sexAtBirth: 'female',
  ...overrides,
});

/** Intake answers with every safety question answered and nothing found: an eligible screening. */
export const eligibleAnswers = (
  modality: 'iv-ketamine' | 'esketamine' = 'iv-ketamine',
  overrides: Record<string, unknown> = {},
) => ({
  modality,
  ageYears: 40,
  diagnosis: 'mdd-treatment-resistant',
  failedAntidepressantTrials: 2,
  concurrentOralAntidepressant: 'yes',
  baselineSbpMmHg: 124,
  baselineDbpMmHg: 78,
  knownAllergies: 'none',
  aneurysmalVascularDiseaseOrAvm: 'no',
  intracerebralHemorrhageHistory: 'no',
  ketamineOrEsketamineHypersensitivity: 'no',
  hypertension: 'none',
  unstableCardiovascularOrCerebrovascularDisease: 'no',
  hypertensiveEncephalopathyHistory: 'no',
  raisedIntracranialPressure: 'no',
  raisedIntraocularPressure: 'no',
  seizureDisorder: 'no',
  psychosisHistory: 'no',
  bipolarOrManiaHistory: 'no',
  currentSuicidalIntent: 'no',
  substanceUseDisorder: 'none',
  ketamineOrPcpMisuseHistory: 'no',
  pregnant: 'no',
  breastfeeding: 'no',
  hepaticImpairment: 'none',
  priorAdverseReactionToKetamine: 'no',
  ulcerativeOrInterstitialCystitis: 'no',
  ...overrides,
});

/**
 * Records an eligible screening for each modality, so a course can be scheduled and its sessions
 * checked in. Returns the screening ids.
 */
export async function screenEligible(
  session: Session,
  patientId: string,
  ...modalities: ('iv-ketamine' | 'esketamine')[]
): Promise<string[]> {
  const ids: string[] = [];
  for (const modality of modalities.length > 0 ? modalities : (['iv-ketamine'] as const)) {
    const res = await session.request({
      method: 'POST',
      url: `/api/patients/${patientId}/eligibility`,
      payload: { answers: eligibleAnswers(modality) },
    });
    if (res.statusCode !== 201) throw new Error(`screening failed: ${res.statusCode} ${res.body}`);
    ids.push((res.json() as { id: string }).id);
  }
  return ids;
}

/** Records a pre-session PHQ-9 and C-SSRS screener (no symptoms, no suicidality) at `at`. */
export async function recordPreSessionAssessments(
  session: Session,
  patientId: string,
  at: Date,
  sessionId?: string,
  phq9Answers: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0],
): Promise<void> {
  const common = {
    version: '1.0.0',
    context: 'pre-session',
    administeredAt: at.toISOString(),
    ...(sessionId ? { sessionId } : {}),
  };
  for (const body of [
    { ...common, instrument: 'phq9', answers: phq9Answers },
    { ...common, instrument: 'cssrs-screener', answers: [0, 0, null, null, null, 0, null] },
  ]) {
    const res = await session.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: body,
    });
    if (res.statusCode !== 201) throw new Error(`assessment failed: ${res.statusCode} ${res.body}`);
  }
}

/**
 * A pre-session checklist that passes for the sample patient once today's PHQ-9 and C-SSRS are on
 * record (recordPreSessionAssessments) and a weight is given: the sample patient is female, so the
 * clinic's default rule needs a pregnancy result.
 */
export const READY_CHECKLIST = {
  identityConfirmed: true,
  baselineSbpMmHg: 122,
  baselineDbpMmHg: 78,
  baselineHeartRateBpm: 72,
  baselineSpo2Pct: 98,
  escortArranged: true,
  pregnancyTest: 'negative',
  interactionReviewDone: true,
} as const;

/** Every clinician statement a discharge asks for. */
export const DISCHARGE_READY = {
  sedationResolved: true,
  dissociationResolved: true,
  respiratoryDepressionResolved: true,
  mentalStatusAtBaseline: true,
  clinicallyStable: true,
  escortPresent: true,
} as const;

/** A JSON call as a signed-in clinician: inject() here, fetch() in browser tests and benchmarks. */
export type SendJson = (
  method: string,
  url: string,
  body?: unknown,
) => Promise<{ status: number; json: unknown }>;

/**
 * Signs, as a prescriber or admin, the order for a session's current dose plan: the plan's mg/kg
 * and infusion minutes (IV) or mg (esketamine), a maximum no lower than the plan, and the standing
 * order's hold conditions and rescue lines. Dosing start is refused without a signed order, so
 * every test, browser test and benchmark that starts dosing calls this after planning the dose.
 */
export async function signOrderForPlanVia(send: SendJson, base: string): Promise<void> {
  const view = await send('GET', base);
  if (view.status !== 200)
    throw new Error(`session read failed: ${view.status} ${JSON.stringify(view.json)}`);
  const s = view.json as {
    dosePlan: { modality: string; doseMg: number; doseMgPerKg: number | null; dosingEndMin: number } | null;
    orders: {
      standingOrder: { maxDoseMg: number | null; holdConditions: string[]; rescues: unknown[] } | null;
    };
  };
  const plan = s.dosePlan;
  if (!plan) throw new Error('plan the dose before signing the order for it');
  const standing = s.orders.standingOrder;
  const dose =
    plan.modality === 'iv-ketamine'
      ? { doseMgPerKg: plan.doseMgPerKg, durationMin: plan.dosingEndMin }
      : { doseMg: plan.doseMg };
  const res = await send('POST', `${base}/orders`, {
    ...dose,
    maxDoseMg: Math.max(plan.doseMg, standing?.maxDoseMg ?? 0),
    holdConditions: standing?.holdConditions ?? [],
    rescues: standing?.rescues ?? [],
  });
  if (res.status !== 200) throw new Error(`order signing failed: ${res.status} ${JSON.stringify(res.json)}`);
}

/** signOrderForPlanVia for an inject() session. */
export function signOrderForPlan(signer: Session, base: string): Promise<void> {
  return signOrderForPlanVia(async (method, url, payload) => {
    const res = await signer.request({ method, url, ...(payload === undefined ? {} : { payload }) });
    return { status: res.statusCode, json: res.body ? (res.json() as unknown) : null };
  }, base);
}
