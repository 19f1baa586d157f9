/** The start page's day board over HTTP: one read, per role (an adapter over src/app/day-board.ts). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inClinicAs } from '../../app/context';
import { readDayBoard, type DayBoard } from '../../app/day-board';
import { FRONT_DESK_READ } from '../access';
import { actorOf } from '../context';
import { errorResponses } from '../dto';
import { dayBoardDto, type DayBoardDto } from '../schemas/day-board';

const toDto = (b: DayBoard): DayBoardDto => ({
  ...b,
  alerts: b.alerts && {
    ...b.alerts,
    patients: b.alerts.patients.map((p) => ({ ...p, latestAt: p.latestAt.toISOString() })),
  },
});

export async function dayBoardRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/day-board',
    {
      // The front desk sees the schedule; the clinical sections are null for it (the use case).
      config: { access: FRONT_DESK_READ },
      schema: {
        tags: ['courses'],
        summary:
          "The clinic's day: today's sessions by room and phase, recovery, vitals overdue, REMS forms due, new alerts",
        response: { 200: dayBoardDto, ...errorResponses },
      },
    },
    async (request) =>
      toDto(await inClinicAs(app.store.db, actorOf(request), app.now(), (ctx) => readDayBoard(ctx))),
  );
}
