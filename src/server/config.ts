import { z } from 'zod';
import { DEFAULT_DATA_DIR, DEFAULT_POOL_SIZE } from '../store/open';

/**
 * Configuration comes from the environment only (secrets included); nothing secret has a default.
 * The README's configuration table documents every variable here.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).optional(),
  /**
   * PostgreSQL connections Rein keeps open. Every audited request commits (a disk flush); more
   * connections let more commits share one flush.
   */
  REIN_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(DEFAULT_POOL_SIZE),
  REIN_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  REIN_ADMIN_EMAIL: z.string().optional(),
  REIN_ADMIN_PASSWORD: z.string().optional(),
  REIN_CLINIC_NAME: z.string().min(1).default('My Clinic'),
  /** The first clinic's IANA time zone, used once when the database is created (checked at start). */
  REIN_CLINIC_TIME_ZONE: z.string().optional(),
  /** How the first clinic writes dates (a BCP 47 tag such as en-GB), used once like the time zone. */
  REIN_CLINIC_LOCALE: z.string().optional(),
  /** `auto`: readable lines on a terminal, JSON lines otherwise (for log collectors). */
  REIN_LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  /** `auto` marks the cookie Secure when the request arrived over HTTPS (directly or via a trusted proxy). */
  REIN_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Trust X-Forwarded-* from a reverse proxy (set when Rein runs behind TLS termination). */
  REIN_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  REIN_WEB_DIR: z.string().optional(),
  /** How often `rein serve` seals new audit events into each clinic's hash chain. */
  REIN_AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
  /** Unset: the clinic's two-factor requirement applies. `false`/`0` turns it off (tests, local trials). */
  REIN_TWO_FACTOR_REQUIRED: z.enum(['true', 'false', '1', '0']).optional(),
  /**
   * Outgoing e-mail (portal links): smtp://[user:password@]host[:port] or smtps://…; unset means
   * Rein sends no e-mail at all. REIN_MAIL_FROM is the sender and is required with it.
   */
  REIN_SMTP_URL: z
    .string()
    .trim()
    .regex(/^$|^smtps?:\/\/[^/?#]+\/?$/, 'must look like smtp://user:password@host:587 or smtps://host:465')
    .optional(),
  REIN_MAIL_FROM: z.string().trim().optional(),
  /** The address patients reach Rein at (https://rein.clinic.example), used in e-mailed links. */
  REIN_PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^$|^https?:\/\/[^/?#]+\/?$/, 'must look like https://rein.clinic.example')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  clinicName: string;
  clinicTimeZone: string | undefined;
  clinicLocale: string | undefined;
  logFormat: 'auto' | 'pretty' | 'json';
  cookieSecure: 'auto' | boolean;
  trustProxy: boolean;
  webDir: string | undefined;
  logLevel: string;
  auditSealIntervalMs: number;
  twoFactorRequired: boolean;
  /** Null when REIN_SMTP_URL is unset: e-mail is off. */
  smtp: { url: string; from: string } | null;
  publicUrl: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  const smtpUrl = e.REIN_SMTP_URL || undefined;
  const mailFrom = e.REIN_MAIL_FROM || undefined;
  if (smtpUrl && !mailFrom) {
    throw new Error('environment variable REIN_MAIL_FROM: is required when REIN_SMTP_URL is set');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    databasePoolSize: e.REIN_DATABASE_POOL_SIZE,
    dataDir: e.REIN_DATA_DIR,
    adminEmail: e.REIN_ADMIN_EMAIL || undefined,
    adminPassword: e.REIN_ADMIN_PASSWORD || undefined,
    clinicName: e.REIN_CLINIC_NAME,
    clinicTimeZone: e.REIN_CLINIC_TIME_ZONE?.trim() || undefined,
    clinicLocale: e.REIN_CLINIC_LOCALE?.trim() || undefined,
    logFormat: e.REIN_LOG_FORMAT,
    cookieSecure: e.REIN_COOKIE_SECURE === 'auto' ? 'auto' : e.REIN_COOKIE_SECURE === 'true',
    trustProxy: e.REIN_TRUST_PROXY === 'true',
    webDir: e.REIN_WEB_DIR,
    logLevel: e.LOG_LEVEL,
    auditSealIntervalMs: e.REIN_AUDIT_SEAL_INTERVAL_MS,
    twoFactorRequired: e.REIN_TWO_FACTOR_REQUIRED !== 'false' && e.REIN_TWO_FACTOR_REQUIRED !== '0',
    smtp: smtpUrl && mailFrom ? { url: smtpUrl, from: mailFrom } : null,
    publicUrl: e.REIN_PUBLIC_URL ? e.REIN_PUBLIC_URL.replace(/\/$/, '') : undefined,
  };
}
