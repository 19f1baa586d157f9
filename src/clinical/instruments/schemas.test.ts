import { describe, expect, it } from 'vitest';
import { instruments } from './registry';
import { answersSubmissionSchema, instrumentDefinitionSchema, scoreResultSchema } from './schemas';
import { scoreInstrument } from './score';

describe('zod schemas for the HTTP layer', () => {
  it('describe every shipped definition and an all-zero score of each', () => {
    for (const def of instruments) {
      expect(instrumentDefinitionSchema.safeParse(def).success).toBe(true);
      const answers =
        def.id === 'cssrs-screener'
          ? [0, 0, null, null, null, 0, null]
          : def.items.filter((i) => i.required).map(() => 0);
      expect(scoreResultSchema.safeParse(scoreInstrument(def.id, answers)).success).toBe(true);
    }
  });

  it('accept a submission and reject an unknown context or a fractional answer', () => {
    const ok = {
      instrument: 'phq9',
      version: '1.0.0',
      context: 'post-4h',
      sessionId: 's1',
      completedAt: '2026-01-05T14:40:00Z',
      answers: { '9': 1 },
    };
    expect(answersSubmissionSchema.safeParse(ok).success).toBe(true);
    expect(answersSubmissionSchema.safeParse({ ...ok, context: 'post-6h' }).success).toBe(false);
    expect(answersSubmissionSchema.safeParse({ ...ok, answers: [0.5] }).success).toBe(false);
  });
});
