import { ClinicalInputError } from '../errors';
import { getInstrument } from './registry';
import type { ASSESSMENT_CONTEXTS } from './schemas';
import type { InstrumentId } from './types';

/**
 * Assessment schedules (pure): from a clinic's rules and one patient's sessions, the assessments that
 * are due, with their windows, and which are overdue at `now` (an input; the core has no clock).
 */

export type AssessmentContext = (typeof ASSESSMENT_CONTEXTS)[number];
export type ScheduledContext = Exclude<AssessmentContext, 'ad-hoc'>;

export interface AssessmentRequirement {
  instrument: InstrumentId;
  /** Only these items are needed (PHQ-9 item 9 alone after a session); omitted = whole instrument. */
  itemIds?: string[];
}

export interface ScheduleRule {
  id: string;
  context: ScheduledContext;
  /** Any one of these satisfies the rule ("PHQ-9 item 9 or SSI"). */
  anyOf: AssessmentRequirement[];
  /** The window opens this many minutes before the due time. */
  windowBeforeMin: number;
  /** The window closes this many minutes after the due time; after that the item is overdue. */
  windowAfterMin: number;
  /** post-4h / post-24h: minutes after the session anchor (end of session, else its start). */
  offsetMin?: number;
  /** weekly: days between due times in a gap between sessions. */
  intervalDays?: number;
  source: string;
}

export interface ScheduleSession {
  id: string;
  startAt: Date;
  endAt?: Date;
}

export interface CompletedAssessment {
  instrument: InstrumentId;
  completedAt: Date;
  /** Items answered; omitted = the whole instrument. */
  itemIds?: string[];
  sessionId?: string;
}

export type DueStatus = 'done' | 'due' | 'overdue' | 'upcoming';

export interface DueAssessment {
  ruleId: string;
  context: ScheduledContext;
  anyOf: AssessmentRequirement[];
  dueAt: Date;
  windowStart: Date;
  windowEnd: Date;
  sessionId?: string;
  status: DueStatus;
  /** The completion that satisfied it, when done. */
  completedAt?: Date;
}

const MIN = 60_000;
const DAY_MIN = 24 * 60;
const ISSUE4 = 'Issue 4 default schedule (clinic setting)';
const ENG = 'window is a clinic setting; engineering default, no published source';

/**
 * Default rules: PHQ-9 and C-SSRS screener at baseline and before every session;
 * PHQ-9 item 9 or SSI at +4 h and +24 h after each session; weekly PHQ-9 and GAD-7 between sessions.
 * Window lengths are engineering defaults (no published source) that a clinic changes in settings;
 * the 14-day baseline window matches the PHQ-9's 2-week recall (reference instruments.md §1.1).
 */
export const DEFAULT_SCHEDULE_RULES: readonly ScheduleRule[] = [
  {
    id: 'baseline-phq9',
    context: 'baseline',
    anyOf: [{ instrument: 'phq9' }],
    windowBeforeMin: 14 * DAY_MIN,
    windowAfterMin: 0,
    source: `${ISSUE4}; ${ENG}`,
  },
  {
    id: 'baseline-cssrs',
    context: 'baseline',
    anyOf: [{ instrument: 'cssrs-screener' }],
    windowBeforeMin: 14 * DAY_MIN,
    windowAfterMin: 0,
    source: `${ISSUE4}; ${ENG}`,
  },
  {
    id: 'pre-session-phq9',
    context: 'pre-session',
    anyOf: [{ instrument: 'phq9' }],
    windowBeforeMin: DAY_MIN,
    windowAfterMin: 0,
    source: `${ISSUE4}; ${ENG}`,
  },
  {
    id: 'pre-session-cssrs',
    context: 'pre-session',
    anyOf: [{ instrument: 'cssrs-screener' }],
    windowBeforeMin: DAY_MIN,
    windowAfterMin: 0,
    source: `${ISSUE4}; ${ENG}`,
  },
  {
    id: 'post-4h-si',
    context: 'post-4h',
    anyOf: [{ instrument: 'phq9', itemIds: ['9'] }, { instrument: 'ssi' }],
    offsetMin: 240,
    windowBeforeMin: 60,
    windowAfterMin: 60,
    source: `${ISSUE4}; ${ENG}`,
  },
  {
    id: 'post-24h-si',
    context: 'post-24h',
    anyOf: [{ instrument: 'phq9', itemIds: ['9'] }, { instrument: 'ssi' }],
    offsetMin: DAY_MIN,
    windowBeforeMin: 240,
    windowAfterMin: 240,
    source: `${ISSUE4}; ${ENG}`,
  },
  {
    id: 'weekly-phq9',
    context: 'weekly',
    anyOf: [{ instrument: 'phq9' }],
    intervalDays: 7,
    windowBeforeMin: DAY_MIN,
    windowAfterMin: 2 * DAY_MIN,
    source: `${ISSUE4}; ${ENG}`,
  },
  {
    id: 'weekly-gad7',
    context: 'weekly',
    anyOf: [{ instrument: 'gad7' }],
    intervalDays: 7,
    windowBeforeMin: DAY_MIN,
    windowAfterMin: 2 * DAY_MIN,
    source: `${ISSUE4}; ${ENG}`,
  },
];

function time(field: string, d: Date | undefined): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new ClinicalInputError(field, 'must be a valid date-time');
  return t;
}

function validateRule(rule: ScheduleRule, index: number): void {
  const f = `rules.${index}`;
  if (!rule.id) throw new ClinicalInputError(`${f}.id`, 'rule id is required');
  if (rule.anyOf.length === 0)
    throw new ClinicalInputError(`${f}.anyOf`, 'at least one instrument is required');
  rule.anyOf.forEach((req, j) => {
    const def = getInstrument(req.instrument);
    for (const itemId of req.itemIds ?? []) {
      if (!def.items.some((i) => i.id === itemId)) {
        throw new ClinicalInputError(`${f}.anyOf.${j}.itemIds`, `${def.id} has no item "${itemId}"`);
      }
    }
  });
  for (const key of ['windowBeforeMin', 'windowAfterMin'] as const) {
    if (!Number.isFinite(rule[key]) || rule[key] < 0) {
      throw new ClinicalInputError(`${f}.${key}`, `must be ≥ 0 minutes, got ${rule[key]}`);
    }
  }
  if (
    (rule.context === 'post-4h' || rule.context === 'post-24h') &&
    !(Number.isFinite(rule.offsetMin) && rule.offsetMin! > 0)
  ) {
    throw new ClinicalInputError(
      `${f}.offsetMin`,
      `a ${rule.context} rule needs a positive offset in minutes`,
    );
  }
  if (rule.context === 'weekly' && !(Number.isFinite(rule.intervalDays) && rule.intervalDays! > 0)) {
    throw new ClinicalInputError(`${f}.intervalDays`, 'a weekly rule needs a positive interval in days');
  }
}

interface Slot {
  rule: ScheduleRule;
  due: number;
  sessionId?: string;
}

function satisfies(c: CompletedAssessment & { t: number }, slot: Slot, start: number, end: number): boolean {
  if (c.t < start || c.t > end) return false;
  if (slot.sessionId !== undefined && c.sessionId !== undefined && c.sessionId !== slot.sessionId)
    return false;
  return slot.rule.anyOf.some((req) => {
    if (req.instrument !== c.instrument) return false;
    if (c.itemIds === undefined) return true; // the whole instrument was completed
    // A partial completion counts only if it holds every item the requirement needs.
    const needed =
      req.itemIds ??
      getInstrument(req.instrument)
        .items.filter((i) => i.required)
        .map((i) => i.id);
    return needed.every((id) => c.itemIds!.includes(id));
  });
}

/**
 * Every scheduled assessment for one patient, sorted by due time, each with its status at `now`.
 * Weekly assessments fill each gap between consecutive sessions (strictly before the next session);
 * after the last session they run until `horizonEnd` (default: one interval after `now`).
 * Sessions must be the patient's non-cancelled sessions.
 */
export function dueAssessments(input: {
  sessions: readonly ScheduleSession[];
  now: Date;
  rules?: readonly ScheduleRule[];
  completed?: readonly CompletedAssessment[];
  /** Baseline anchor; defaults to the first session's start. */
  courseStartAt?: Date;
  horizonEnd?: Date;
}): DueAssessment[] {
  const now = time('now', input.now);
  const rules = input.rules ?? DEFAULT_SCHEDULE_RULES;
  rules.forEach(validateRule);
  const ids = new Set<string>();
  const sessions = input.sessions
    .map((s, i) => {
      const start = time(`sessions.${i}.startAt`, s.startAt);
      const end = s.endAt === undefined ? start : time(`sessions.${i}.endAt`, s.endAt);
      if (end < start) throw new ClinicalInputError(`sessions.${i}.endAt`, 'ends before it starts');
      if (!s.id || ids.has(s.id))
        throw new ClinicalInputError(`sessions.${i}.id`, `missing or duplicate session id "${s.id}"`);
      ids.add(s.id);
      return { id: s.id, start, anchor: end };
    })
    .sort((a, b) => a.start - b.start);
  const completed = (input.completed ?? []).map((c, i) => {
    getInstrument(c.instrument);
    return { ...c, t: time(`completed.${i}.completedAt`, c.completedAt) };
  });
  const courseStart =
    input.courseStartAt !== undefined ? time('courseStartAt', input.courseStartAt) : sessions[0]?.start;
  const horizon = input.horizonEnd !== undefined ? time('horizonEnd', input.horizonEnd) : undefined;

  const slots: Slot[] = [];
  for (const rule of rules) {
    switch (rule.context) {
      case 'baseline':
        if (courseStart !== undefined) slots.push({ rule, due: courseStart });
        break;
      case 'pre-session':
        for (const s of sessions) slots.push({ rule, due: s.start, sessionId: s.id });
        break;
      case 'post-4h':
      case 'post-24h':
        for (const s of sessions)
          slots.push({ rule, due: s.anchor + rule.offsetMin! * MIN, sessionId: s.id });
        break;
      case 'weekly': {
        const step = rule.intervalDays! * DAY_MIN * MIN;
        sessions.forEach((s, i) => {
          const next = sessions[i + 1];
          const limit = next ? next.start : (horizon ?? now + step);
          for (let due = s.anchor + step; next ? due < limit : due <= limit; due += step)
            slots.push({ rule, due });
        });
        break;
      }
    }
  }

  return slots
    .map((slot): DueAssessment => {
      const start = slot.due - slot.rule.windowBeforeMin * MIN;
      const end = slot.due + slot.rule.windowAfterMin * MIN;
      const match = completed.filter((c) => satisfies(c, slot, start, end)).sort((a, b) => a.t - b.t)[0];
      const status: DueStatus = match ? 'done' : now > end ? 'overdue' : now >= start ? 'due' : 'upcoming';
      const due: DueAssessment = {
        ruleId: slot.rule.id,
        context: slot.rule.context,
        anyOf: slot.rule.anyOf,
        dueAt: new Date(slot.due),
        windowStart: new Date(start),
        windowEnd: new Date(end),
        status,
      };
      if (slot.sessionId !== undefined) due.sessionId = slot.sessionId;
      if (match) due.completedAt = match.completedAt;
      return due;
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.ruleId.localeCompare(b.ruleId));
}

/** The overdue ones only, oldest first: what the staff due list highlights. */
export function overdueAssessments(input: Parameters<typeof dueAssessments>[0]): DueAssessment[] {
  return dueAssessments(input).filter((d) => d.status === 'overdue');
}
