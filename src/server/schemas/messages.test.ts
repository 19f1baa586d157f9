import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PLAUSIBLE, plausibleNumber } from '../../clinical/plausibility';
import {
  domainFieldError,
  fieldLabel,
  fieldSentence,
  plainFieldErrors,
  plainMessage,
  plainWords,
} from './messages';

/** What a person must never read in a refusal. */
const MACHINE =
  /body\.|querystring\.|params\.|\[[VSUCD]\]|Expected|expected|Invalid input|Too (big|small)|received/;

function sentencesOf(schema: z.ZodType, value: unknown, location = 'body') {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a refusal');
  return plainFieldErrors(r.error.issues, location);
}

describe('field labels', () => {
  it('names a field in words, without its location or unit', () => {
    expect(fieldLabel('body.weightKg')).toBe('Weight');
    expect(fieldLabel('body.heartRateBpm')).toBe('Heart rate');
    expect(fieldLabel('body.sbpMmHg')).toBe('Systolic blood pressure');
    expect(fieldLabel('querystring.from')).toBe('From');
    expect(fieldLabel('body.dateOfBirth')).toBe('Date of birth');
    expect(fieldLabel('mrn')).toBe('MRN');
    expect(fieldLabel('body.doses.1.doseMgPerKg')).toBe('Dose per kg of entry 2');
    expect(fieldLabel('body')).toBe('');
    expect(fieldLabel(['answers', '9'])).toBe('Answers 9');
  });
  it('rewrites paths, camel-case names and evidence codes inside a message', () => {
    expect(plainWords('no weight on record; give weightKg')).toBe('no weight on record; give weight');
    expect(plainWords('see body.dateOfBirth')).toBe('see date of birth');
    expect(plainWords('the default 92 [U] applies')).toBe('the default 92 (unverified) applies');
    expect(plainWords('0.5 mg/kg over 40 min')).toBe('0.5 mg/kg over 40 min');
  });
});

describe('each zod issue kind as a sentence', () => {
  const schema = z
    .object({
      mrn: z.string().min(1),
      name: z.string().max(5),
      weightKg: plausibleNumber(PLAUSIBLE.weightKg),
      doseMg: z.number().min(0).max(112),
      count: z.number().int(),
      route: z.enum(['iv', 'im']),
      kind: z.literal('vitals'),
      email: z.email(),
      visitId: z.uuid(),
      day: z.iso.date(),
      doses: z.array(z.number()).min(1),
      stepMl: z.number().multipleOf(5),
      flag: z.boolean(),
      either: z.union([z.object({ a: z.number() }), z.object({ b: z.string(), c: z.string() })]),
      codes: z.record(z.string().regex(/^[A-Z]$/), z.number()),
      later: z.number().refine((n) => n > 10, { message: 'must be after the start' }),
    })
    .strict();
  const bad = {
    mrn: '',
    name: 'toolong',
    weightKg: 900,
    doseMg: -1,
    count: 1.5,
    route: 'po',
    kind: 'note',
    email: 'nope',
    visitId: 'x',
    day: '2026-13-40',
    doses: [],
    stepMl: 3,
    flag: 'yes',
    either: { a: 'x' },
    codes: { a: 1 },
    later: 1,
    extra: true,
  };
  const fields = sentencesOf(schema, bad);
  const byPath = Object.fromEntries(fields.map((f) => [f.path, f]));

  it('keeps the path and the issue code as machine fields', () => {
    expect(byPath['body.weightKg']!.code).toBe('too_big');
    expect(byPath['body.route']!.code).toBe('invalid_value');
    expect(byPath['body']!.code).toBe('unrecognized_keys');
  });
  it('says each problem in words with the allowed range', () => {
    expect(byPath['body.mrn']!.message).toBe('MRN must not be empty.');
    expect(byPath['body.name']!.message).toBe('Name must be at most 5 characters.');
    expect(byPath['body.weightKg']!.message).toBe('Weight must be between 10 and 500 kg.');
    expect(byPath['body.doseMg']!.message).toBe('Dose must be at least 0.');
    expect(byPath['body.count']!.message).toBe('Count must be a whole number.');
    expect(byPath['body.route']!.message).toBe('Route must be one of: iv, im.');
    expect(byPath['body.kind']!.message).toBe('Kind must be vitals.');
    expect(byPath['body.email']!.message).toBe('Email must be an email address.');
    expect(byPath['body.visitId']!.message).toBe('Visit must be an id this system gave out.');
    expect(byPath['body.day']!.message).toBe('Day must be a date.');
    expect(byPath['body.doses']!.message).toBe('Doses needs at least one entry.');
    expect(byPath['body.stepMl']!.message).toBe('Step must be a multiple of 5.');
    expect(byPath['body.flag']!.message).toBe('Flag must be yes or no.');
    expect(byPath['body.either.a']!.message).toBe('A must be a number.');
    expect(byPath['body.codes.a']!.message).toBe('Codes has a name that is not accepted (a).');
    expect(byPath['body.later']!.message).toBe('Later must be after the start.');
    expect(byPath['body']!.message).toBe('The request has something not accepted here (extra).');
  });
  it('says a missing field is required, and an exceeded size as a count', () => {
    const [missing] = sentencesOf(z.object({ givenName: z.string() }), {});
    expect(missing!.message).toBe('Given name is required.');
    const [tooMany] = sentencesOf(z.object({ items: z.array(z.number()).max(2) }), { items: [1, 2, 3] });
    expect(tooMany!.message).toBe('Items must have at most 2 entries.');
    const [exclusive] = sentencesOf(z.object({ rate: z.number().gt(0) }), { rate: 0 });
    expect(exclusive!.message).toBe('Rate must be more than 0.');
  });
  it('never lets zod wording, a field path or an evidence code through', () => {
    for (const f of fields) expect(f.message).not.toMatch(MACHINE);
    expect(plainMessage(fields)).not.toMatch(MACHINE);
  });
});

describe('domain refusals', () => {
  it('turn the rule’s phrase into a sentence naming the field', () => {
    expect(fieldSentence('body.measuredAt', 'cannot be in the future')).toBe(
      'Measured at cannot be in the future.',
    );
    expect(fieldSentence('weightKg', 'no weight is recorded for this patient; give weightKg')).toBe(
      'No weight is recorded for this patient; give weight.',
    );
    expect(fieldSentence('weightKg', 'must be between 10 and 500 kg, got 900')).toBe(
      'Weight must be between 10 and 500 kg (entered: 900).',
    );
    expect(fieldSentence('name', 'at most 200 characters')).toBe('Name must be at most 200 characters.');
    expect(fieldSentence('session', 'The patient has been discharged.')).toBe(
      'The patient has been discharged.',
    );
    expect(domainFieldError('doseMg', 'invalid', 'only a prescriber may change it')).toEqual({
      path: 'doseMg',
      code: 'invalid',
      message: 'Dose: only a prescriber may change it.',
    });
  });
  it('let a phrase with a subject of its own stand without the field name in front', () => {
    // A no-show refused on `kind` read "Kind: a booked session …" — a program's name for the field.
    expect(fieldSentence('kind', 'a session is marked a no-show only once its booked time has come')).toBe(
      'A session is marked a no-show only once its booked time has come.',
    );
    expect(fieldSentence('kind', 'a cancelled session cannot be marked a no-show')).toBe(
      'A cancelled session cannot be marked a no-show.',
    );
    expect(fieldSentence('session', 'nothing has been given yet')).toBe('Nothing has been given yet.');
    expect(fieldSentence('date', 'the clinic is closed on 2026-12-25 (Holiday)')).toBe(
      'The clinic is closed on 2026-12-25 (Holiday).',
    );
    // A phrase without a verb of its own still needs the label to say what it is about.
    expect(fieldSentence('weightKg', 'no weight on record')).toBe('Weight: no weight on record.');
    expect(fieldSentence('doseMg', 'a positive number')).toBe('Dose: a positive number.');
  });
  it('joins several fields into one message, each sentence once', () => {
    const a = domainFieldError('x', 'invalid', 'is required');
    expect(plainMessage([a, a, domainFieldError('y', 'invalid', 'is required')])).toBe(
      'X is required. Y is required.',
    );
  });
});
