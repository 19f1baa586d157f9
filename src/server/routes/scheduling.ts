/**
 * Scheduling that follows what happened: reschedule, cancel or mark a no-show one session, cancel
 * a course, and the clinic's closures. Adapters over src/app/bookings.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cancelCourse, changeSessionBooking, readClosures, updateClosures } from '../../app/bookings';
import { inClinicAs } from '../../app/context';
import { fieldsInBody } from '../body-fields';
import { ADMIN_ONLY, ANY_STAFF, FRONT_DESK_WRITE, PRESCRIBE } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import {
  bookingChangeCreateSchema,
  closuresBody,
  closuresDto,
  courseCancelDto,
  courseCancelSchema,
  courseParams,
  scheduledSessionDto,
} from '../schemas/courses';
import { sessionParams } from '../schemas/sessions';
import { toSessionDto } from './courses';

export async function schedulingRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;

  app.post(
    '/api/patients/:patientId/sessions/:sessionId/booking-changes',
    {
      // The front desk books sessions, so it also moves, cancels and marks them missed.
      config: { access: FRONT_DESK_WRITE },
      schema: {
        tags: ['courses'],
        summary:
          'Reschedule, cancel or mark a no-show one session, with a reason (a session that started, ended or was cancelled keeps its booking; closures, clinic hours and rooms are respected)',
        params: sessionParams,
        body: bookingChangeCreateSchema,
        response: { 201: scheduledSessionDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const out = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        fieldsInBody(['reason', 'date', 'startMin', 'roomId', 'kind'], () =>
          changeSessionBooking(ctx, { ...request.params, command: request.body }),
        ),
      );
      return reply.status(201).send(toSessionDto(out.session, out));
    },
  );

  app.post(
    '/api/patients/:patientId/courses/:courseId/cancel',
    {
      config: { access: PRESCRIBE },
      schema: {
        tags: ['courses'],
        summary:
          'Cancel a course: every session still booked is cancelled with the reason; sessions that happened or were missed keep their status',
        params: courseParams,
        body: courseCancelSchema,
        response: { 200: courseCancelDto, ...errorResponses },
      },
    },
    async (request) =>
      inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        fieldsInBody(['reason'], () => cancelCourse(ctx, { ...request.params, reason: request.body.reason })),
      ),
  );

  app.get(
    '/api/clinic/closures',
    {
      config: { access: ANY_STAFF },
      schema: {
        tags: ['courses'],
        summary: 'Days the clinic is closed (holidays and other closures), each with its name',
        response: { 200: closuresDto, ...errorResponses },
      },
    },
    async (request) => ({
      closures: await inClinicAs(db(), actorOf(request), app.now(), readClosures),
    }),
  );

  app.put(
    '/api/clinic/closures',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['courses'],
        summary:
          "Replace the clinic's closures (the course scheduler and rescheduling skip them; a new settings version, earlier ones kept)",
        body: closuresBody,
        response: { 200: closuresDto, ...errorResponses },
      },
    },
    async (request) => ({
      closures: await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        updateClosures(ctx, request.body.closures),
      ),
    }),
  );
}
