/**
 * The one schema for PGlite and PostgreSQL. Every table holding clinic data has
 * `clinic_id`, a primary key `(clinic_id, id)` and foreign keys that include `clinic_id`, so one
 * clinic's rows can never reference another's and the schema can be distributed by clinic.
 * Ids are UUIDv7, generated in TypeScript (PostgreSQL 15 has no uuidv7()).
 * Units live in column names.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { clinicId, createdAt, id, inList } from './columns';
import type { MedicationClass } from '../clinical/vocabulary/medication-classes';

import {
  RECORD_STATUSES,
  SEX_AT_BIRTH,
  type RecordStatus,
  type SexAtBirthValue,
} from '../clinical/vocabulary/records';
import { CLINICAL_LEAD_ROLES, STAFF_ROLES } from '../clinical/vocabulary/roles';
import type { StaffRole } from '../clinical/vocabulary/roles';

export { ROLES, STAFF_ROLES, type Role, type StaffRole } from '../clinical/vocabulary/roles';

export { SEX_AT_BIRTH, type SexAtBirthValue } from '../clinical/vocabulary/records';

export { MEDICATION_CLASSES, type MedicationClass } from '../clinical/vocabulary/medication-classes';

export { RECORD_STATUSES, type RecordStatus } from '../clinical/vocabulary/records';

/** What the clinician confirmed when recording a dose above the labelled maximum. */
export interface DoseAboveMaximumConfirmation {
  comparedMg: number;
  maxMgPerDay: number;
  source: string;
  confirmedBy: string;
  confirmedAt: string;
}

export const clinics = pgTable('clinics', {
  id: uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7()),
  name: text('name').notNull(),
  /** IANA time zone used for display; storage is UTC. */
  timeZone: text('time_zone').notNull().default('UTC'),
  /** BCP 47 tag of how the clinic writes dates (clinical/vocabulary/date-format.ts), beside its zone. */
  locale: text('locale').notNull().default('en-US'),
  /** Postal address and phone as the clinic writes them, printed on patient documents. */
  address: text('address'),
  phone: text('phone'),
  /**
   * Staff roles that must sign in with a second factor (clinical/sign-in.ts); null means the
   * core's default, so the default lives in one place.
   */
  twoFactorRequiredRoles: jsonb('two_factor_required_roles').$type<StaffRole[]>(),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    clinicId: clinicId().references(() => clinics.id),
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    disabled: boolean('disabled').notNull().default(false),
    /** Signs off the clinic's clinical policy (session settings); an admin or prescriber. */
    clinicalLead: boolean('clinical_lead').notNull().default(false),
    /** Prescriber identifiers, stored normalized (src/clinical/credentials). */
    npi: text('npi'),
    deaNumber: text('dea_number'),
    licenceState: text('licence_state'),
    licenceNumber: text('licence_number'),
    /**
     * Authenticator-app (TOTP) secret, base32. Set when enrolment starts, in force once
     * `twoFactorEnabledAt` is set; never returned by the API after enrolment starts
     * (docs/security.md explains why it is stored readable by the server).
     */
    twoFactorSecret: text('two_factor_secret'),
    twoFactorEnabledAt: timestamp('two_factor_enabled_at', { withTimezone: true }),
    /** The last TOTP time step accepted: a code is good once, never again in its window. */
    twoFactorLastTimeStep: bigint('two_factor_last_time_step', { mode: 'number' }),
    /** SHA-256 of each unused recovery code; a used one is removed. */
    twoFactorRecoveryCodes: jsonb('two_factor_recovery_codes').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    // Login is by email alone, so an email identifies one account across all clinics.
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    check('users_role_check', inList('role', STAFF_ROLES)),
    check('users_clinical_lead_role_check', sql`not clinical_lead or ${inList('role', CLINICAL_LEAD_ROLES)}`),
  ],
);

/**
 * Failed logins counted per client address and email (both hashed), whether or not the email
 * belongs to an account: a lock-out then says nothing about which emails exist, and a stranger
 * elsewhere cannot lock a clinician out. Not clinic data: login happens before a clinic is known.
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    /** SHA-256 of lower(email), a NUL and the client address. */
    subjectHash: text('subject_hash').primaryKey(),
    /** SHA-256 of lower(email), so an admin can lift every lock on one account. */
    emailHash: text('email_hash').notNull(),
    failures: integer('failures').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_throttles_email_idx').on(t.emailHash)],
);

export const loginSessions = pgTable(
  'login_sessions',
  {
    clinicId: clinicId(),
    id: id(),
    userId: uuid('user_id').notNull(),
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Signed in with a password, but the clinic requires a second factor the user has not set up. */
    twoFactorEnrolmentPending: boolean('two_factor_enrolment_pending').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    uniqueIndex('login_sessions_token_hash_unique').on(t.tokenHash),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [users.clinicId, users.id] }),
  ],
);

/**
 * A sign-in half done: the password was right and the account needs its authenticator code. The
 * browser holds the token (HttpOnly cookie); no login session exists until the code is accepted.
 */
export const loginChallenges = pgTable(
  'login_challenges',
  {
    clinicId: clinicId(),
    id: id(),
    userId: uuid('user_id').notNull(),
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    /** Wrong codes against this challenge; it is dropped after a few. */
    failures: integer('failures').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    uniqueIndex('login_challenges_token_hash_unique').on(t.tokenHash),
    foreignKey({ columns: [t.clinicId, t.userId], foreignColumns: [users.clinicId, users.id] }),
  ],
);

export const patients = pgTable(
  'patients',
  {
    clinicId: clinicId().references(() => clinics.id),
    id: id(),
    mrn: text('mrn').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    sexAtBirth: text('sex_at_birth').$type<SexAtBirthValue>().notNull(),
    genderIdentity: text('gender_identity'),
    pronouns: text('pronouns'),
    phone: text('phone'),
    email: text('email'),
    emergencyContactName: text('emergency_contact_name'),
    emergencyContactPhone: text('emergency_contact_phone'),
    emergencyContactRelationship: text('emergency_contact_relationship'),
    /** Increments on every update; earlier versions are kept in `revisions`. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    uniqueIndex('patients_mrn_unique').on(t.clinicId, t.mrn),
    index('patients_family_name_idx').on(t.clinicId, sql`lower(${t.familyName})`),
    check('patients_sex_at_birth_check', inList('sex_at_birth', SEX_AT_BIRTH)),
  ],
);

export const bodyMeasurements = pgTable(
  'body_measurements',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    measuredAt: timestamp('measured_at', { withTimezone: true }).notNull(),
    weightKg: doublePrecision('weight_kg'),
    heightCm: doublePrecision('height_cm'),
    recordedBy: uuid('recorded_by').notNull(),
    createdAt: createdAt(),
    status: text('status').$type<RecordStatus>().notNull().default('active'),
    statusReason: text('status_reason'),
    statusChangedBy: uuid('status_changed_by'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    /** Increments when the status changes; the earlier version is kept in `revisions`. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.recordedBy], foreignColumns: [users.clinicId, users.id] }),
    index('body_measurements_patient_idx').on(t.clinicId, t.patientId, t.measuredAt),
    check('body_measurements_some_value', sql`weight_kg is not null or height_cm is not null`),
    check('body_measurements_weight_range', sql`weight_kg is null or (weight_kg > 0 and weight_kg <= 500)`),
    check('body_measurements_height_range', sql`height_cm is null or (height_cm > 0 and height_cm <= 272)`),
    check('body_measurements_status_check', inList('status', RECORD_STATUSES)),
  ],
);

export const medications = pgTable(
  'medications',
  {
    clinicId: clinicId(),
    id: id(),
    patientId: uuid('patient_id').notNull(),
    name: text('name').notNull(),
    rxnormCode: text('rxnorm_code'),
    dose: doublePrecision('dose'),
    doseUnit: text('dose_unit'),
    frequency: text('frequency'),
    classTags: text('class_tags')
      .array()
      .$type<MedicationClass[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    startDate: date('start_date', { mode: 'string' }),
    stopDate: date('stop_date', { mode: 'string' }),
    notes: text('notes'),
    status: text('status').$type<RecordStatus>().notNull().default('active'),
    statusReason: text('status_reason'),
    /** Set when the dose was recorded above the labelled maximum after the clinician confirmed it. */
    doseAboveMaximum: jsonb('dose_above_maximum').$type<DoseAboveMaximumConfirmation>(),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    foreignKey({ columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ columns: [t.clinicId, t.createdBy], foreignColumns: [users.clinicId, users.id] }),
    index('medications_patient_idx').on(t.clinicId, t.patientId),
    check('medications_dates_order', sql`stop_date is null or start_date is null or stop_date >= start_date`),
    check('medications_status_check', inList('status', RECORD_STATUSES)),
  ],
);

/**
 * Earlier versions of records that clinicians edit (nothing recorded is lost).
 * An update copies the row as it was, with who changed it and why, before writing the new one.
 */
export const revisions = pgTable(
  'revisions',
  {
    clinicId: clinicId().references(() => clinics.id),
    id: id(),
    resourceType: text('resource_type').notNull(),
    resourceId: uuid('resource_id').notNull(),
    version: integer('version').notNull(),
    /** The row as it was before the change (its columns by name). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    changedBy: uuid('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    reason: text('reason'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    uniqueIndex('revisions_resource_version_unique').on(t.clinicId, t.resourceType, t.resourceId, t.version),
  ],
);

/**
 * Append-only record of every read and write of patient data. A request inserts its
 * event with `digest` (SHA-256 of the event's own fields) and no chain position, so requests never
 * wait on each other. The sealer (store/audit.ts) then chains each clinic's committed events: `seq`
 * counts 1, 2, 3… per clinic and `hash` = SHA-256 over the previous event's hash and this event's
 * fields, so an edited, inserted or deleted row is detectable (`rein audit verify`). A trigger refuses
 * UPDATE, DELETE and TRUNCATE, except the sealer's one-time filling of `seq`, `prev_hash` and `hash`.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    clinicId: clinicId().references(() => clinics.id),
    id: id(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: uuid('resource_id'),
    requestId: text('request_id'),
    outcome: text('outcome').notNull().default('success'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /**
     * Position in the clinic's chain; null until the event is sealed (and for events written before
     * the chain existed, which also have no digest).
     */
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
    /** SHA-256 of the event's fields, written with the event: reveals an edit made before sealing. */
    digest: text('digest'),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.id] }),
    index('audit_events_resource_idx').on(t.clinicId, t.resourceType, t.resourceId),
    index('audit_events_at_idx').on(t.clinicId, t.at),
    uniqueIndex('audit_events_seq_unique').on(t.clinicId, t.seq),
    // The sealer's work list: small, because the sealer keeps it near empty.
    index('audit_events_unsealed_idx')
      .on(t.clinicId, t.at, t.id)
      .where(sql`hash is null and digest is not null`),
  ],
);

/**
 * The head of each clinic's audit chain: the last sealed event. Only the sealer locks it (SELECT …
 * FOR UPDATE), so two sealers extend the chain one at a time while requests never touch it; the head
 * also reveals deleted tail events.
 */
export const auditChainHeads = pgTable('audit_chain_heads', {
  clinicId: uuid('clinic_id')
    .primaryKey()
    .references(() => clinics.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/**
 * A submission's Idempotency-Key and the answer it got, so that a repeat of the same request
 * (a retry after a lost response, a double click) returns the first answer instead of storing it
 * again. Keys are scoped to the clinic and the actor (`user:<id>` or `portal-link:<id>`); one
 * older than a day is forgotten when the same actor next sends a key.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    clinicId: clinicId().references(() => clinics.id),
    actor: text('actor').notNull(),
    key: text('key').notNull(),
    /** What the request did (e.g. `assessment.record`): a key is never reused across operations. */
    operation: text('operation').notNull(),
    /** SHA-256 of the operation, its target and its body: a repeat must be the same request. */
    requestHash: text('request_hash').notNull(),
    /** The first answer; null only while the first request is still in its transaction. */
    response: jsonb('response').$type<unknown>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.actor, t.key] })],
);
