/**
 * The clinic calendar: every scheduled session in a date range, by day and room, and
 * the same as an ICS file (which carries no patient names: calendar apps sync to third parties).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { daysBetween } from '../../clinical/calendar';
import { ClinicalInputError } from '../../clinical/errors';
import { courseIcs } from '../../interop/course-ics';
import { listClinicCalendar } from '../../store/courses';
import { inClinic } from '../../store/tx';
import { getClinic } from '../../store/users';
import { PATIENT_READ } from '../access';
import { audit, caller } from '../context';
import { errorResponses } from '../dto';

const MAX_DAYS = 92;
const range = z.object({
  from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
  to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
});

function checkRange(from: string, to: string): void {
  const days = daysBetween(from, to);
  if (days < 0) throw new ClinicalInputError('to', 'must not be before from');
  if (days > MAX_DAYS) throw new ClinicalInputError('to', `a calendar spans at most ${MAX_DAYS} days`);
}

const entryDto = z.object({
  sessionId: z.uuid(),
  courseId: z.uuid(),
  patientId: z.uuid(),
  patientName: z.string(),
  mrn: z.string(),
  modality: z.string(),
  sequence: z.int(),
  phaseLabel: z.string(),
  date: z.string(),
  startMin: z.int(),
  endMin: z.int(),
  roomId: z.string(),
});

export async function calendarRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/calendar',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['courses'],
        summary:
          'The clinic calendar: scheduled sessions between two dates (at most 92 days), by day and room',
        querystring: range,
        response: { 200: z.object({ timeZone: z.string(), items: z.array(entryDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request);
      const { from, to } = request.query;
      checkRange(from, to);
      return inClinic(app.store.db, me.clinicId, async (tx) => {
        const clinic = await getClinic(tx, me.clinicId);
        const rows = await listClinicCalendar(tx, me.clinicId, from, to);
        await audit(tx, request, {
          action: 'calendar.read',
          resourceType: 'calendar',
          details: { from, to, sessions: rows.length },
        });
        return {
          timeZone: clinic.timeZone,
          items: rows.map(({ givenName, familyName, ...r }) => ({
            ...r,
            patientName: `${familyName}, ${givenName}`,
          })),
        };
      });
    },
  );

  app.get(
    '/api/calendar.ics',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['courses'],
        summary: 'The clinic calendar as an iCalendar file (rooms and session numbers; no patient names)',
        querystring: range,
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { from, to } = request.query;
      checkRange(from, to);
      const ics = await inClinic(app.store.db, me.clinicId, async (tx) => {
        const clinic = await getClinic(tx, me.clinicId);
        const rows = await listClinicCalendar(tx, me.clinicId, from, to);
        await audit(tx, request, {
          action: 'calendar.export',
          resourceType: 'calendar',
          details: { from, to, sessions: rows.length },
        });
        return courseIcs(
          rows.map((r) => ({ ...r, id: r.sessionId })),
          { courseName: 'Ketamine session', clinicName: clinic.name, timeZone: clinic.timeZone },
        );
      });
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="rein-calendar-${from}.ics"`)
        .send(ics);
    },
  );
}
