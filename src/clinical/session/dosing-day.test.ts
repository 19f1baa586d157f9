import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../calendar';
import type { Modality } from '../protocols';
import { decideDosePlan, decideScheduledDosingStart, SessionRefusal } from './decide';
import {
  dosingDay,
  esketamineOrderedDoseMg,
  MIN_DAYS_BETWEEN_DOSES_DEFAULT,
  SCHEDULED_DAY_WINDOW_DEFAULT,
  type DosingDaySettings,
  type EarlierDose,
} from './dosing-day';
import type { NewSessionEvent } from './events';
import { foldSession } from './fold';
import { sessionState } from './state';
import { checkIn, eskOrder, eskPlan, ivOrder, ivPlan, recorded, SETTINGS, start, T0 } from './test-fixtures';

const DEFAULTS: DosingDaySettings = {
  scheduledDayWindowDays: SCHEDULED_DAY_WINDOW_DEFAULT.value,
  minDaysBetweenDoses: {
    'iv-ketamine': MIN_DAYS_BETWEEN_DOSES_DEFAULT['iv-ketamine'].value,
    esketamine: MIN_DAYS_BETWEEN_DOSES_DEFAULT.esketamine.value,
  },
};
const session = { id: 's-3', courseId: 'course-A', scheduledOn: '2026-03-05' };
const dose = (over: Partial<EarlierDose>): EarlierDose => ({
  sessionId: 's-1',
  courseId: 'course-A',
  sequence: 1,
  modality: 'iv-ketamine',
  dosedOn: '2026-03-02',
  doseMg: 40,
  ...over,
});
const day = (
  today: string,
  earlierDoses: EarlierDose[] = [],
  settings = DEFAULTS,
  modality: Modality = 'iv-ketamine',
) => dosingDay({ today, session, modality, earlierDoses }, settings);

const checklist: NewSessionEvent = {
  kind: 'checklist',
  timeMin: null,
  payload: {
    input: {
      identityConfirmed: true,
      escortArranged: true,
      pregnancyTest: 'not-applicable',
      interactionReviewDone: true,
    },
    result: { overall: 'ready', items: [] },
  },
};
/**
 * Checked in, checklist ready, the order signed and (optionally) a dose planned: ready for the
 * dose plan or the start.
 */
const readyState = (modality: Modality = 'iv-ketamine', planned = true) =>
  sessionState(
    foldSession(
      [
        checkIn,
        checklist,
        modality === 'esketamine' ? eskOrder() : ivOrder(),
        ...(planned ? [modality === 'esketamine' ? eskPlan() : ivPlan()] : []),
      ].map((e, i) => recorded(e, -30 + i)),
    ),
    modality,
    SETTINGS,
    T0,
  );

describe('defaults', () => {
  it('are clinic choices with their reasons', () => {
    expect(SCHEDULED_DAY_WINDOW_DEFAULT).toMatchObject({ value: 0, status: 'clinic' });
    expect(MIN_DAYS_BETWEEN_DOSES_DEFAULT['iv-ketamine']).toMatchObject({ value: 1, status: 'clinic' });
    expect(MIN_DAYS_BETWEEN_DOSES_DEFAULT['iv-ketamine'].note).toMatch(/Murrough/);
    expect(MIN_DAYS_BETWEEN_DOSES_DEFAULT.esketamine).toMatchObject({ value: 2, status: 'clinic' });
    expect(MIN_DAYS_BETWEEN_DOSES_DEFAULT.esketamine.note).toMatch(/twice weekly.*Spravato/);
  });
});

describe('dosingDay', () => {
  it('allows the scheduled day with no earlier dose', () => {
    expect(day('2026-03-05')).toMatchObject({
      daysFromScheduled: 0,
      onScheduledDay: true,
      lastDose: null,
      earliestDoseOn: null,
      blockers: [],
    });
  });

  it('names the override field for another day, early or late, and the window widens it', () => {
    const early = day('2026-03-04');
    expect(early.daysFromScheduled).toBe(-1);
    expect(early.blockers.map((b) => b.field)).toEqual(['scheduleOverrideReason']);
    expect(early.blockers[0]!.message).toMatch(
      /scheduled for 2026-03-05 and today is 2026-03-04 \(1 day early/,
    );
    expect(day('2026-03-08').blockers[0]!.message).toMatch(/3 days late/);
    expect(day('2026-03-04', [], { ...DEFAULTS, scheduledDayWindowDays: 1 }).blockers).toEqual([]);
  });

  it('counts the last dose of the same modality in this course or another, never another modality', () => {
    const sameCourse = day('2026-03-05', [dose({ dosedOn: '2026-03-05', sessionId: 's-2', sequence: 2 })]);
    expect(sameCourse.blockers.map((b) => b.field)).toEqual(['minDaysBetweenDoses']);
    expect(sameCourse.blockers[0]!.message).toMatch(/2026-03-05 \(session 2 of this course\).*2026-03-06/);
    const other = day('2026-03-05', [dose({ courseId: 'course-B', dosedOn: '2026-03-05' })]);
    expect(other.blockers[0]!.message).toMatch(/another course/);
    expect(other.lastDose).toMatchObject({ sameCourse: false });
    const esk = day('2026-03-05', [dose({ modality: 'esketamine', dosedOn: '2026-03-05' })]);
    expect(esk.blockers).toEqual([]);
    expect(day('2026-03-05', [dose({ dosedOn: '2026-03-04' })]).blockers).toEqual([]);
  });

  it('esketamine: at least 2 days apart by default', () => {
    const prior = [dose({ modality: 'esketamine', dosedOn: '2026-03-04' })];
    const d = day('2026-03-05', prior, DEFAULTS, 'esketamine');
    expect(d).toMatchObject({ minDaysBetweenDoses: 2, earliestDoseOn: '2026-03-06' });
    expect(d.blockers[0]!.message).toMatch(/esketamine doses at least 2 days apart/);
  });

  it('property: refused exactly when outside the window or sooner than the minimum after the last dose', () => {
    const date = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2026-01-01', n));
    fc.assert(
      fc.property(
        date,
        date,
        fc.array(fc.record({ on: date, esk: fc.boolean(), other: fc.boolean() }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 10 }),
        (today, scheduledOn, prior, windowDays, minDays) => {
          const earlier = prior.map((p, i) =>
            dose({
              sessionId: `p-${i}`,
              courseId: p.other ? 'course-B' : 'course-A',
              modality: p.esk ? 'esketamine' : 'iv-ketamine',
              dosedOn: p.on,
            }),
          );
          const d = dosingDay(
            { today, session: { ...session, scheduledOn }, modality: 'iv-ketamine', earlierDoses: earlier },
            {
              scheduledDayWindowDays: windowDays,
              minDaysBetweenDoses: { 'iv-ketamine': minDays, esketamine: 99 },
            },
          );
          const outside = Math.abs(daysBetween(scheduledOn, today)) > windowDays;
          const tooSoon = earlier.some(
            (e) =>
              e.modality === 'iv-ketamine' && e.dosedOn <= today && daysBetween(e.dosedOn, today) < minDays,
          );
          expect(d.blockers.some((b) => b.field === 'scheduleOverrideReason')).toBe(outside);
          expect(d.blockers.some((b) => b.field === 'minDaysBetweenDoses')).toBe(tooSoon);
          expect(d.onScheduledDay).toBe(!outside);
        },
      ),
    );
  });
});

describe('decideScheduledDosingStart', () => {
  it('starts on the scheduled day with no override recorded', () => {
    const d = decideScheduledDosingStart(readyState(), {}, day('2026-03-05'));
    expect(d.events).toEqual([
      { kind: 'dosing-start', timeMin: 0, payload: { note: null, orderEventId: expect.any(String) } },
    ]);
    expect(d.details).toBeUndefined();
  });

  it('refuses another day without a reason, and records the reason when given', () => {
    const wrongDay = day('2026-03-06');
    expect(() => decideScheduledDosingStart(readyState(), {}, wrongDay)).toThrow(SessionRefusal);
    expect(() =>
      decideScheduledDosingStart(readyState(), { scheduleOverrideReason: '  ' }, wrongDay),
    ).toThrow(/scheduleOverrideReason/);
    const d = decideScheduledDosingStart(
      readyState(),
      { scheduleOverrideReason: ' Snow on Thursday ' },
      wrongDay,
    );
    expect(d.events[0]).toEqual({
      kind: 'dosing-start',
      timeMin: 0,
      payload: {
        note: null,
        orderEventId: expect.any(String),
        scheduleOverride: {
          reason: 'Snow on Thursday',
          scheduledOn: '2026-03-05',
          dosedOn: '2026-03-06',
          daysFromScheduled: 1,
        },
      },
    });
    expect(d.details).toEqual({ scheduleOverride: true, daysFromScheduled: 1 });
  });

  it('no reason lifts the minimum interval; the session state is checked first', () => {
    const tooSoon = day('2026-03-06', [dose({ dosedOn: '2026-03-06' })]);
    try {
      decideScheduledDosingStart(readyState(), { scheduleOverrideReason: 'asked' }, tooSoon);
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(SessionRefusal);
      expect((e as SessionRefusal).field).toBe('minDaysBetweenDoses');
    }
    const started = sessionState(
      foldSession([checkIn, checklist, ivPlan(), start].map((e, i) => recorded(e, i === 3 ? 0 : -30 + i))),
      'iv-ketamine',
      SETTINGS,
      T0,
    );
    expect(() => decideScheduledDosingStart(started, {}, tooSoon)).toThrow(/already started/);
  });
});

describe('esketamine ordered dose', () => {
  const facts = { fixedDoseMg: null, plannedDoseMg: null, courseId: 'course-A', sessionId: 's-3' };
  const esk = (o: Partial<EarlierDose>) => dose({ modality: 'esketamine', ...o });

  it('is the fixed dose, else this session’s plan, else the course’s last dose given', () => {
    const earlier = [
      esk({ sessionId: 's-1', dosedOn: '2026-03-02', doseMg: 56 }),
      esk({ sessionId: 's-2', sequence: 2, dosedOn: '2026-03-05', doseMg: 84 }),
      esk({ sessionId: 'x', courseId: 'course-B', dosedOn: '2026-03-07', doseMg: 28 }),
    ];
    expect(esketamineOrderedDoseMg({ ...facts, earlierDoses: earlier })).toBe(84);
    expect(esketamineOrderedDoseMg({ ...facts, plannedDoseMg: 56, earlierDoses: earlier })).toBe(56);
    expect(
      esketamineOrderedDoseMg({ ...facts, fixedDoseMg: 56, plannedDoseMg: 84, earlierDoses: earlier }),
    ).toBe(56);
    expect(esketamineOrderedDoseMg({ ...facts, earlierDoses: [] })).toBeNull();
  });

  const planFacts = {
    dose: { kind: 'fixed-intranasal' as const, doseMgOptions: [56, 84] },
    fixedDoseMg: null,
    today: '2026-12-01',
    latestWeight: null,
    mayChangeCourseDose: false,
    orderedDoseMg: 56,
  };
  const checklisted = () => readyState('esketamine', false);

  it('a nurse plans the order (by default) but not another dose; a prescriber may', () => {
    expect(decideDosePlan(checklisted(), {}, planFacts, SETTINGS).events[0]).toMatchObject({
      payload: { doseMg: 56, devices: 2 },
    });
    expect(decideDosePlan(checklisted(), { doseMg: 56 }, planFacts, SETTINGS).details).toEqual({
      doseMg: 56,
    });
    try {
      decideDosePlan(checklisted(), { doseMg: 84 }, planFacts, SETTINGS);
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(SessionRefusal);
      expect((e as SessionRefusal).reason).toBe('forbidden');
      expect((e as SessionRefusal).field).toBe('doseMg');
    }
    const changed = decideDosePlan(
      checklisted(),
      { doseMg: 84 },
      { ...planFacts, mayChangeCourseDose: true },
      SETTINGS,
    );
    expect(changed.events[0]).toMatchObject({ payload: { doseMg: 84, devices: 3 } });
    expect(changed.details).toEqual({ doseMg: 84, orderedDoseMg: 56 });
  });

  it('property: without the prescriber flag, the planned dose is always the order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(56, 84),
        fc.option(fc.constantFrom(28, 56, 84, 112), { nil: undefined }),
        (order, asked) => {
          const facts = { ...planFacts, orderedDoseMg: order };
          try {
            const d = decideDosePlan(checklisted(), { doseMg: asked }, facts, SETTINGS);
            expect(d.events[0]!.payload).toMatchObject({ doseMg: order });
          } catch (e) {
            expect(asked).not.toBe(order);
            expect(e).toBeInstanceOf(SessionRefusal);
          }
        },
      ),
    );
  });
});
