import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './api/client';
import {
  compact,
  fieldKey,
  optionalNumber,
  optionalText,
  serverErrors,
  validateWith,
  zodFieldErrors,
} from './forms';

const apiError = (status: number, fields?: { path: string; message: string }[], message = 'refused') =>
  new ApiError(status, {
    error: { code: 'validation', message, ...(fields ? { fields } : {}) },
    requestId: 'r1',
  });

describe('form values to request fields', () => {
  it('leaves empty numbers and blank text out, keeps zero and refuses half-typed numbers', () => {
    expect(optionalNumber('')).toBeUndefined();
    expect(optionalNumber('  ')).toBeUndefined();
    expect(optionalNumber(0)).toBe(0);
    expect(optionalNumber('12.5')).toBe(12.5);
    expect(optionalNumber('-')).toBeNaN();
    expect(optionalText('  ')).toBeUndefined();
    expect(optionalText(' LOT-1 ')).toBe('LOT-1');
    expect(compact({ a: 1, b: undefined, c: false, d: '' })).toEqual({ a: 1, c: false, d: '' });
  });
});

describe('validation with the server schema', () => {
  const schema = z.object({
    doseMg: z.number().max(112),
    lot: z.string().min(1),
    answers: z.record(z.string(), z.number()),
  });
  it('keys errors by field path, first message per field', () => {
    const r = schema.safeParse({ doseMg: 200, lot: '', answers: { '1': 'x' } });
    expect(r.success).toBe(false);
    const errors = zodFieldErrors(r.error!);
    expect(Object.keys(errors).sort()).toEqual(['answers.1', 'doseMg', 'lot']);
    // The same sentences the server answers: the field's label and the allowed range, no zod wording.
    expect(errors).toEqual({
      doseMg: 'Dose must be at most 112.',
      lot: 'Lot must not be empty.',
      'answers.1': 'Answers 1 must be a number.',
    });
  });
  it('validates the converted request and lets the form word a field better', () => {
    const validate = validateWith(
      schema,
      (v: { dose: string }) => ({ doseMg: Number(v.dose), lot: 'L', answers: {} }),
      {
        doseMg: 'Choose a dose',
      },
    );
    expect(validate({ dose: '56' })).toEqual({});
    expect(validate({ dose: '500' })).toEqual({ doseMg: 'Choose a dose' });
  });
});

describe('server errors onto fields', () => {
  it('strips the request location from a path', () => {
    expect(fieldKey('body.weightKg')).toBe('weightKg');
    expect(fieldKey('querystring.q')).toBe('q');
    expect(fieldKey('description')).toBe('description');
    expect(fieldKey('body')).toBe('');
  });
  it('puts each field error under its input, by path not by message text', () => {
    const err = apiError(400, [
      { path: 'body.weightKg', message: 'must be at most 500 kg' },
      { path: 'body.answers.7', message: 'must be 0–4' },
    ]);
    expect(serverErrors(err, ['weightKg', 'answers'])).toEqual({
      fieldErrors: { weightKg: 'must be at most 500 kg', answers: 'must be 0–4' },
      message: null,
    });
  });
  it('keeps errors for fields the form does not have as one message', () => {
    const err = apiError(400, [
      { path: 'atMin', message: 'cannot be in the future' },
      { path: 'body.weightKg', message: 'too heavy' },
    ]);
    expect(serverErrors(err, ['weightKg'])).toEqual({
      fieldErrors: { weightKg: 'too heavy' },
      message: 'Time cannot be in the future.',
    });
  });
  it('shows the message of an error without fields, and a network failure plainly', () => {
    expect(serverErrors(apiError(409, undefined, 'The session was discharged.'), ['x'])).toEqual({
      fieldErrors: {},
      message: 'The session was discharged.',
    });
    expect(serverErrors(new TypeError('fetch failed'), [])).toEqual({
      fieldErrors: {},
      message: 'Could not reach the server.',
    });
  });
});
