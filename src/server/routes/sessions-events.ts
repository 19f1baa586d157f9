/**
 * The session screen's live updates as server-sent events: `ready` with the session's version when
 * the stream opens, `changed` with the new version after each append commits, and a comment line
 * every 20 s so proxies keep the connection open. The stream carries versions only, never a
 * record: the screen reads the session through the audited read when told it changed.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { watchSession } from '../../app/sessions/changes';
import { errorResponses } from '../dto';
import { sessionParams } from '../schemas/sessions';
import { runSessionUseCase, SESSION_READ } from './sessions-run';

export const SESSION_EVENTS_HEARTBEAT_MS = 20_000;

const message = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export async function sessionEventRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Open streams are ended when the server closes, or closing would wait on them forever.
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const raw of open) raw.destroy();
    open.clear();
  });

  app.get(
    '/api/patients/:patientId/sessions/:sessionId/events',
    {
      config: { access: SESSION_READ },
      schema: {
        tags: ['sessions'],
        summary:
          "Live updates of a session (text/event-stream): 'ready' and 'changed' messages carry the session's event count",
        params: sessionParams,
        response: {
          200: z.string().describe('text/event-stream: event ready|changed, data {"eventCount": n}'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { sessionId } = request.params;
      const { eventCount } = await runSessionUseCase(app, request, (ctx) =>
        watchSession(ctx, request.params),
      );
      const raw = reply.raw;
      let stopped = false;
      // Set once the stream is running; stop() may come first (a lost listener) and then finds none.
      const running: { heartbeat?: NodeJS.Timeout; unwatch?: () => Promise<void> } = {};
      // The client left: its connection is done with. The server stopped listening: end the
      // stream so the browser reconnects (and reads afresh).
      const stop = (clientLeft: boolean) => {
        if (stopped) return;
        stopped = true;
        clearInterval(running.heartbeat);
        open.delete(raw);
        void running.unwatch?.();
        if (!raw.headersSent) return; // not streaming yet: the handler ends it below
        if (clientLeft) raw.destroy();
        else if (!raw.writableEnded) raw.end();
      };
      running.unwatch = await app.sessionChanges.watch(sessionId, {
        changed: (n) => {
          if (!stopped) raw.write(message('changed', { eventCount: n }));
        },
        // Announcements stopped: end the stream; the browser reconnects and reads afresh.
        lost: () => stop(false),
      });
      reply.hijack();
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: 5000\n${message('ready', { eventCount })}`);
      if (stopped) {
        raw.end();
        return;
      }
      open.add(raw);
      running.heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), SESSION_EVENTS_HEARTBEAT_MS);
      running.heartbeat.unref();
      request.raw.on('close', () => stop(true));
      raw.on('close', () => stop(true));
    },
  );
}
