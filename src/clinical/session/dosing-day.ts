/**
 * When a session may be dosed, and at which esketamine dose.
 *
 * - On its day: a session is dosed on its scheduled date, or within the clinic's window around
 *   it; outside the window only with a reason, which the dosing start records.
 * - Not too soon: at least the clinic's minimum whole days after the patient's last dose of the
 *   same modality (this course's earlier sessions and any other course of that modality). No
 *   reason lifts it: a clinic that doses more often changes its setting.
 * - Esketamine's ordered dose: the label's fixed first dose, else the dose already planned for
 *   this session, else the course's last dose given. Changing it is prescribing.
 *
 * Pure: the clinic's today, the schedule and the earlier dosings are inputs.
 */
import { addDays, daysBetween } from '../calendar';
import { SOURCES, type Modality, type SourcedNumber } from '../protocols';

/**
 * Days either side of the scheduled date a session may be dosed without a reason. 0: on its day.
 * No source gives such a window; the label's missed-dose advice is to keep the current schedule.
 */
export const SCHEDULED_DAY_WINDOW_DEFAULT: SourcedNumber = {
  value: 0,
  status: 'clinic',
  source: 'Clinic setting',
  note: 'No source gives a window. Default: the scheduled day; another day needs a recorded reason (Spravato missed doses: "continue the current schedule", J&J Medical Information).',
};

/**
 * Minimum whole calendar days between two doses of one modality for a patient. Neither number is
 * stated by a source; each is the clinic's choice, set no stricter than the most frequent
 * schedule the cited protocols use, so a schedule built from the built-in templates is never refused.
 */
export const MIN_DAYS_BETWEEN_DOSES_DEFAULT: Readonly<Record<Modality, SourcedNumber>> = {
  'iv-ketamine': {
    value: 1,
    status: 'clinic',
    source: 'Clinic setting',
    note: `At most one infusion a day. The most frequent IV schedules cited are 3 a week (${SOURCES.murrough2013}; ${SOURCES.singh2016}); no source states a minimum interval.`,
  },
  esketamine: {
    value: 2,
    status: 'clinic',
    source: 'Clinic setting',
    note: `Never on consecutive days. The label's most frequent schedule is twice weekly (induction, weeks 1–4; ${SOURCES.spravatoLabelDosing}) and states no minimum interval.`,
  },
};

export interface DosingDaySettings {
  scheduledDayWindowDays: number;
  minDaysBetweenDoses: Readonly<Record<Modality, number>>;
}

/** A dose the patient was given: the session's dosing start (clinic-local date) and its planned dose. */
export interface EarlierDose {
  sessionId: string;
  courseId: string;
  /** The session's place in its course. */
  sequence: number;
  modality: Modality;
  dosedOn: string;
  /** The dose plan in force when dosing started (mg); null when none could be read. */
  doseMg: number | null;
}

export interface DosingDayFacts {
  /** The clinic's today (YYYY-MM-DD). */
  today: string;
  session: { id: string; courseId: string; scheduledOn: string };
  modality: Modality;
  /** The patient's dosing starts in every course, any order. */
  earlierDoses: readonly EarlierDose[];
}

export type DosingDayField = 'scheduleOverrideReason' | 'minDaysBetweenDoses';

/** Whether the session may be dosed today, and what stands in the way. */
export interface DosingDay {
  scheduledOn: string;
  today: string;
  /** Today − scheduled date, in days (negative: early). */
  daysFromScheduled: number;
  windowDays: number;
  /** Within the clinic's window around the scheduled date. */
  onScheduledDay: boolean;
  lastDose: { sessionId: string; sequence: number; dosedOn: string; sameCourse: boolean } | null;
  minDaysBetweenDoses: number;
  /** The first day a dose of this modality may be given again (null: no earlier dose). */
  earliestDoseOn: string | null;
  /** What stands in the way of dosing today, each naming the field or setting to act on. */
  blockers: { field: DosingDayField; message: string }[];
}

/** The modality as a clinician names its doses in a sentence. */
const DOSE_NAME: Readonly<Record<Modality, string>> = {
  'iv-ketamine': 'IV ketamine',
  esketamine: 'esketamine',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The session's dosing day as the clinic's rules judge it today. */
export function dosingDay(facts: DosingDayFacts, settings: DosingDaySettings): DosingDay {
  const { today, session, modality } = facts;
  const windowDays = settings.scheduledDayWindowDays;
  const daysFromScheduled = daysBetween(session.scheduledOn, today);
  const onScheduledDay = Math.abs(daysFromScheduled) <= windowDays;
  const minDays = settings.minDaysBetweenDoses[modality];
  const last =
    facts.earlierDoses
      .filter((d) => d.modality === modality && d.sessionId !== session.id && d.dosedOn <= today)
      .sort((a, b) => (a.dosedOn < b.dosedOn ? -1 : a.dosedOn > b.dosedOn ? 1 : 0))
      .at(-1) ?? null;
  const earliestDoseOn = last ? addDays(last.dosedOn, minDays) : null;
  const blockers: DosingDay['blockers'] = [];
  if (!onScheduledDay) {
    const when = daysFromScheduled < 0 ? 'early' : 'late';
    blockers.push({
      field: 'scheduleOverrideReason',
      message:
        `this session is scheduled for ${session.scheduledOn} and today is ${today} ` +
        `(${plural(Math.abs(daysFromScheduled), 'day')} ${when}; the clinic doses a session ` +
        (windowDays === 0 ? 'on its day' : `within ${plural(windowDays, 'day')} of its day`) +
        `): start the session scheduled for today, move this one, or give scheduleOverrideReason to record why it is dosed today`,
    });
  }
  if (last && earliestDoseOn !== null && today < earliestDoseOn) {
    const label = DOSE_NAME[modality];
    const where =
      last.courseId === session.courseId ? `session ${last.sequence} of this course` : 'another course';
    blockers.push({
      field: 'minDaysBetweenDoses',
      message:
        `last ${label} dose: ${last.dosedOn} (${where}); the clinic gives ${label} doses at least ` +
        `${plural(minDays, 'day')} apart, so the earliest day for this one is ${earliestDoseOn} ` +
        `(clinic setting dosingDays.minDaysBetweenDoses)`,
    });
  }
  return {
    scheduledOn: session.scheduledOn,
    today,
    daysFromScheduled,
    windowDays,
    onScheduledDay,
    lastDose: last
      ? {
          sessionId: last.sessionId,
          sequence: last.sequence,
          dosedOn: last.dosedOn,
          sameCourse: last.courseId === session.courseId,
        }
      : null,
    minDaysBetweenDoses: minDays,
    earliestDoseOn,
    blockers,
  };
}

/**
 * The esketamine dose this session is ordered at: the dose the schedule fixes (label day 1), else
 * the dose already planned for this session (a prescriber's change stands), else the dose given at
 * the course's latest dosed session. Null: no order yet (the first session of a course whose
 * template fixes no first dose).
 */
export function esketamineOrderedDoseMg(facts: {
  fixedDoseMg: number | null;
  plannedDoseMg: number | null;
  courseId: string;
  sessionId: string;
  earlierDoses: readonly EarlierDose[];
}): number | null {
  if (facts.fixedDoseMg !== null) return facts.fixedDoseMg;
  if (facts.plannedDoseMg !== null) return facts.plannedDoseMg;
  const course = facts.earlierDoses
    .filter((d) => d.courseId === facts.courseId && d.sessionId !== facts.sessionId && d.doseMg !== null)
    .sort((a, b) => a.dosedOn.localeCompare(b.dosedOn) || a.sequence - b.sequence);
  return course.at(-1)?.doseMg ?? null;
}
