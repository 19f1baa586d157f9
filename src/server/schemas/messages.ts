/**
 * The one place a refusal becomes words a clinician reads. The server's error handler and the web's
 * forms both build their messages here, so a field's error reads the same under the input as in the
 * server's answer: a plain sentence naming the field by its label with the allowed range
 * ("Weight must be between 10 and 500 kg."), never a field path (`body.weightKg`), zod's own wording
 * ("Invalid input: expected number") or an evidence code. The path and the kind of error stay
 * available as machine fields (`path`, `code`) for programs. Pure: zod types only.
 */
import type { z } from 'zod';
import { EVIDENCE_STATUS_SHORT, type EvidenceStatus } from '../../clinical/vocabulary/evidence-statuses';

/** One field's refusal: the machine path and code, and the sentence a person reads. */
export interface PlainFieldError {
  /** Where the value was, as the server names it: `body.weightKg`, `querystring.from`. */
  path: string;
  /** The kind of problem: a zod issue code (`too_big`, `invalid_type`…) or the domain's (`invalid`, `conflict`). */
  code: string;
  /** A whole sentence naming the field by its label. */
  message: string;
}

type Issue = z.core.$ZodIssue;

/** Where a request value came from; not part of what a person calls the field. */
const LOCATIONS = new Set(['body', 'querystring', 'params', 'headers']);

/** Labels a split of the name would get wrong (abbreviations, clinical shorthand). */
const LABELS: Readonly<Record<string, string>> = {
  mrn: 'MRN',
  dateOfBirth: 'Date of birth',
  sexAtBirth: 'Sex at birth',
  sbpMmHg: 'Systolic blood pressure',
  dbpMmHg: 'Diastolic blood pressure',
  baselineSbpMmHg: 'Baseline systolic blood pressure',
  baselineDbpMmHg: 'Baseline diastolic blood pressure',
  spo2Pct: 'SpO2',
  baselineSpo2Pct: 'Baseline SpO2',
  moaas: 'MOAA/S',
  cadss: 'CADSS',
  doseMgPerKg: 'Dose per kg',
  rxNormCode: 'RxNorm code',
  icd10Code: 'ICD-10 code',
  minDaysBetweenDoses: 'Minimum days between doses',
  scheduleOverrideReason: 'Reason for dosing off schedule',
  newPassword: 'New password',
  currentPassword: 'Current password',
  totp: 'Code',
  'idempotency-key': 'Idempotency-Key header',
  crisisLineUrl: 'Crisis line address',
  ageYears: 'Age',
  atMin: 'Time',
  npi: 'NPI',
  deaNumber: 'DEA number',
  measuredAt: 'Measured at',
  administeredAt: 'Date given',
};

/** Unit suffixes of names (`weightKg`, `durationMin`, `rateMlPerH`): the label leaves them out. */
const UNIT_WORDS = new Set([
  'kg',
  'mg',
  'mcg',
  'ng',
  'g',
  'cm',
  'm',
  'ml',
  'l',
  'min',
  'h',
  'pct',
  'pp',
  'mm',
  'hg',
  'bpm',
  'per',
  'years',
  'id',
]);

const ACRONYMS: Readonly<Record<string, string>> = {
  sbp: 'systolic blood pressure',
  dbp: 'diastolic blood pressure',
  spo2: 'SpO2',
  mrn: 'MRN',
  rems: 'REMS',
  phq9: 'PHQ-9',
  gad7: 'GAD-7',
  tci: 'TCI',
  iv: 'IV',
  im: 'IM',
  url: 'address',
};

function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** A field name in words, lower case: `heartRateBpm` → `heart rate`. */
export function nameInWords(name: string): string {
  const known = LABELS[name];
  // "Date of birth" reads "date of birth" mid-sentence; "MRN" and "SpO2" keep their capitals.
  if (known) return /^[A-Z][a-z]+\b/.test(known) ? known.charAt(0).toLowerCase() + known.slice(1) : known;
  const words = splitName(name);
  while (words.length > 1 && UNIT_WORDS.has(words[words.length - 1]!)) words.pop();
  return words.map((w) => ACRONYMS[w] ?? w).join(' ');
}

const capitalize = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/**
 * The label of a field path: the last named part in words, with the position of a list entry
 * (`doses.1.doseMg` → "Dose of entry 2"). An empty path (the whole request) has no label.
 */
export function fieldLabel(path: string | readonly PropertyKey[]): string {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => p !== '');
  while (parts.length > 0 && LOCATIONS.has(parts[0]!)) parts.shift();
  let i = parts.length - 1;
  const trailingNumbers: string[] = [];
  while (i >= 0 && /^\d+$/.test(parts[i]!)) trailingNumbers.unshift(parts[i--]!);
  if (i < 0) return trailingNumbers.length ? `Entry ${trailingNumbers.join('.')}` : '';
  const name = parts[i]!;
  const base = LABELS[name] ?? capitalize(nameInWords(name));
  if (trailingNumbers.length > 0) return `${base} ${trailingNumbers.join('.')}`;
  const index = parts.slice(0, i).findLast((p) => /^\d+$/.test(p));
  return index === undefined ? base : `${base} of entry ${Number(index) + 1}`;
}

/**
 * Rewrites machine names inside a message into words: field paths (`body.weightKg`) and camel-case
 * names (`give scheduleOverrideReason`) become labels, and evidence codes ([U], [S], [V]…) become
 * their meaning in words.
 */
export function plainWords(text: string): string {
  return text
    .replace(/\b(?:body|querystring|params|headers)\.([A-Za-z0-9_.]+)/g, (_m, rest: string) =>
      fieldLabel(rest).toLowerCase(),
    )
    .replace(/\b[a-z]+(?:[A-Z0-9][a-z0-9]*)+[A-Z]?\b/g, (name) =>
      /[A-Z]/.test(name) ? nameInWords(name) : name,
    )
    .replace(/\s*\[(V|S|U|C|D|clinic)\]/g, (_m, code: EvidenceStatus) => ` (${evidenceWords(code)})`);
}

/** An evidence status in words, lower case, for the middle of a sentence ("unverified"). */
export function evidenceWords(status: string): string {
  const short = EVIDENCE_STATUS_SHORT[status as EvidenceStatus];
  return short ? short.toLowerCase() : status;
}

/** zod's own English wording, which never reaches a person. */
const ZOD_DEFAULT = /^(Invalid|Too (big|small)|Unrecognized key|Expected|Required)\b/;

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'must be a number',
  int: 'must be a whole number',
  string: 'must be text',
  boolean: 'must be yes or no',
  array: 'must be a list',
  object: 'must be filled in',
  date: 'must be a date',
  bigint: 'must be a whole number',
};

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  email: 'must be an email address',
  uuid: 'must be an id this system gave out',
  guid: 'must be an id this system gave out',
  url: 'must be a web address',
  date: 'must be a date',
  datetime: 'must be a date and time',
  time: 'must be a time of day',
  duration: 'must be a duration',
  regex: 'is not in the expected form',
};

const fmt = (n: number | bigint): string =>
  typeof n === 'bigint' ? n.toString() : String(Math.round(n * 1000) / 1000);

function sizeWords(origin: string, bound: number | bigint, atLeast: boolean, inclusive: boolean): string {
  const cmp = atLeast ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  switch (origin) {
    case 'string':
      if (atLeast && Number(bound) === 1) return 'must not be empty';
      return `must be ${cmp} ${fmt(bound)} characters`;
    case 'array':
    case 'set':
      if (atLeast && Number(bound) === 1) return 'needs at least one entry';
      return `must have ${cmp} ${fmt(bound)} entries`;
    case 'date':
      return atLeast ? `must be on or after ${String(bound)}` : `must be on or before ${String(bound)}`;
    default:
      return `must be ${cmp} ${fmt(bound)}`;
  }
}

/** What is wrong with the value, as a phrase to follow its label ("must be at most 500"). */
export function issuePhrase(issue: Issue): string {
  if (issue.message && !ZOD_DEFAULT.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message ?? '')) return 'is required';
      return TYPE_WORDS[issue.expected] ?? 'is not valid';
    case 'too_small':
      return sizeWords(issue.origin, issue.minimum, true, issue.inclusive !== false);
    case 'too_big':
      return sizeWords(issue.origin, issue.maximum, false, issue.inclusive !== false);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return FORMAT_WORDS[issue.format] ?? 'is not in the expected form';
    case 'not_multiple_of':
      return `must be a multiple of ${fmt(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has something not accepted here (${issue.keys.map((k) => nameInWords(k)).join(', ')})`;
    case 'invalid_union': {
      // The closest alternative (fewest problems) says best what is wrong.
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0];
      return best ? issuePhrase(best) : 'is not one of the accepted kinds';
    }
    case 'invalid_key':
      return 'has a name that is not accepted';
    case 'invalid_element':
      return 'has an entry that is not valid';
    default:
      return 'is not valid';
  }
}

/** Phrases that continue a label ("Weight must…"); anything else follows "Label:". */
const PREDICATE =
  /^(must|is|are|was|were|has|have|had|should|cannot|can|may|needs?|does|do|did|will|would)\b/;

/**
 * A phrase with a subject of its own ("a booked session cannot be marked a no-show", "nothing has
 * been given yet"): a clause that reads as a sentence without the field's name in front of it.
 */
const CLAUSE =
  /^(a|an|the|this|these|that|those|there|no|nothing)\b.*\b(is|are|was|were|has|have|had|cannot|can|may|must|needs?|does|do|did|will|would)\b/;

/**
 * A sentence from a field and what is wrong with it: "Weight must be between 10 and 500 kg."
 * A phrase that is already a sentence (capitalised) or a clause with its own subject stands on its
 * own: the field's name in front ("Kind: a booked session…") would show a program's name for it.
 * A trailing ", got 600" reads "(entered: 600)".
 */
export function fieldSentence(path: string | readonly PropertyKey[], phrase: string): string {
  let words = plainWords(phrase.trim()).replace(/[.;\s]+$/, '');
  words = words.replace(/,\s*got\s+(.+)$/, ' (entered: $1)');
  if (/^at (most|least)\b|^between\b|^one of\b/.test(words)) words = `must be ${words}`;
  const label = fieldLabel(path);
  if (/^[A-Z]/.test(words)) return `${words}.`;
  if (CLAUSE.test(words)) return `${capitalize(words)}.`;
  if (label === '') return PREDICATE.test(words) ? `The request ${words}.` : `${capitalize(words)}.`;
  if (PREDICATE.test(words)) return `${label} ${words}.`;
  return `${label}: ${words}.`;
}

/** The machine path of an issue, with its location first (`body.weightKg`). */
export function issuePath(issue: Issue, location?: string): string {
  return [...(location ? [location] : []), ...issue.path.map(String)].join('.');
}

/** Each zod issue as a field error with its sentence. */
export function plainFieldErrors(issues: readonly Issue[], location?: string): PlainFieldError[] {
  return issues.map((issue) => {
    const nested =
      issue.code === 'invalid_union'
        ? [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0]
        : undefined;
    const path = nested ? [...issue.path, ...nested.path] : issue.path;
    // A refused key is named in the phrase; the sentence's subject is the record holding it.
    const subject = issue.code === 'invalid_key' ? path.slice(0, -1) : path;
    const phrase =
      issue.code === 'invalid_key' ? `${issuePhrase(issue)} (${String(path.at(-1))})` : issuePhrase(issue);
    return {
      path: [...(location ? [location] : []), ...path.map(String)].join('.'),
      code: issue.code,
      message: fieldSentence(subject, phrase),
    };
  });
}

/** A refusal of one named field by the domain (a clinical rule, a conflict), as a field error. */
export function domainFieldError(path: string, code: string, phrase: string): PlainFieldError {
  return { path, code, message: fieldSentence(path, phrase) };
}

/** The whole answer's message: each field's sentence once, in order. */
export function plainMessage(fields: readonly PlainFieldError[]): string {
  return [...new Set(fields.map((f) => f.message))].join(' ');
}
