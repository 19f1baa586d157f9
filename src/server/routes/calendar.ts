/**
 * The clinic calendar over HTTP: scheduled sessions in a date range, by day and room, and the
 * same as an ICS file (which carries no patient names: calendar apps sync to third parties).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportClinicCalendarIcs, readClinicCalendar, readClinicWeek } from '../../app/calendar';
import { inClinicAs } from '../../app/context';
import { PATIENT_READ } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { calendarDto, calendarRange, calendarWeekDto, calendarWeekQuery } from '../schemas/calendar';

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
        querystring: calendarRange,
        response: { 200: calendarDto, ...errorResponses },
      },
    },
    async (request) =>
      inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) => readClinicCalendar(ctx, request.query)),
  );

  app.get(
    '/api/calendar/week',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['courses'],
        summary: "A week of the clinic calendar (Monday to Sunday in the clinic's time zone)",
        querystring: calendarWeekQuery,
        response: { 200: calendarWeekDto, ...errorResponses },
      },
    },
    async (request) =>
      inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) => readClinicWeek(ctx, request.query)),
  );

  app.get(
    '/api/calendar.ics',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['courses'],
        summary: 'The clinic calendar as an iCalendar file (rooms and session numbers; no patient names)',
        querystring: calendarRange,
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { ics, fileName } = await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) =>
        exportClinicCalendarIcs(ctx, request.query),
      );
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(ics);
    },
  );
}
