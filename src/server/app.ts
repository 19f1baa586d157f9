import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { LoginSessionCache } from '../app/auth';
import type { Mailer } from '../interop/email/mailer';
import { smtpMailer, type SmtpSettings } from '../interop/email/smtp';
import { SessionChangeFeed } from '../app/sessions/changes';
import type { Store } from '../store/open';
import type { Access } from './access';
import { registerAuth } from './plugins/auth';
import { registerErrorHandler } from './plugins/errors';
import { alertRoutes } from './routes/alerts';
import { assessmentRoutes } from './routes/assessments';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { calendarRoutes } from './routes/calendar';
import { clinicRoutes } from './routes/clinic';
import { bannerRoutes } from './routes/banner';
import { noteRoutes } from './routes/notes';
import { clinicalRecordRoutes } from './routes/clinical-record';
import { courseRoutes } from './routes/courses';
import { dayBoardRoutes } from './routes/day-board';
import { exportRoutes } from './routes/exports';
import { fhirRoutes } from './routes/fhir';
import { healthRoutes } from './routes/health';
import { mechanismRoutes } from './routes/mechanism';
import { outcomeRoutes } from './routes/outcomes';
import { patientRoutes } from './routes/patients';
import { pkRoutes } from './routes/pk';
import { portalRoutes } from './routes/portal';
import { sessionEventRoutes } from './routes/sessions-events';
import { schedulingRoutes } from './routes/scheduling';
import { sessionRoutes } from './routes/sessions';
import { taperRoutes } from './routes/tapers';
import { userRoutes } from './routes/users';
import { cacheControlFor } from './web-assets';

export interface AppOptions {
  store: Store;
  /** Serve the built web app from this folder when it exists (default dist/web). */
  webDir?: string | undefined;
  cookieSecure?: 'auto' | boolean;
  trustProxy?: boolean;
  logger?: FastifyServerOptions['logger'];
  now?: () => Date;
  /** Login attempts per IP per minute before 429 (per-account backoff applies as well). */
  loginRateLimitPerMinute?: number;
  /** Self-report portal requests per client per minute before 429. */
  portalRateLimitPerMinute?: number;
  /**
   * Whether the clinic's two-factor requirement applies (REIN_TWO_FACTOR_REQUIRED); default on.
   * Accounts that set up an authenticator are asked for a code either way.
   */
  twoFactorRequired?: boolean;
  /** Outgoing e-mail (REIN_SMTP_URL, REIN_MAIL_FROM); without it Rein sends no e-mail. */
  smtp?: SmtpSettings | null;
  /** Where patients reach Rein (REIN_PUBLIC_URL); e-mailed links use it, else the request's origin. */
  publicUrl?: string | undefined;
}

export interface RouteInfo {
  method: string;
  url: string;
  access: Access | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with its declared access: walked by the access tests. */
    routeTable: RouteInfo[];
    cookieSecure: 'auto' | boolean;
    twoFactorRequired: boolean;
    /** Session cookies resolved without a database round trip; dropped at once on auth changes. */
    loginCache: LoginSessionCache;
    /** Who watches which session's live updates, fed by the store's change announcements. */
    sessionChanges: SessionChangeFeed;
    /** Null when e-mail is not configured. */
    mailer: Mailer | null;
    publicUrl: string | undefined;
  }
}

export const BODY_LIMIT_BYTES = 256 * 1024;

/** Logs carry no PHI: request lines are logged without their query string (searches hold names). */
/**
 * The path as logged: no query string (it may carry anything), and the secret segment of a portal
 * link (`/portal/<token>`, `/api/portal/<token>/…`) replaced, since the token alone opens the portal.
 */
export function loggablePath(url: string): string {
  return url.split('?')[0]!.replace(/(\/portal\/)[^/]+/g, '$1:token');
}

const requestSerializers = {
  req(request: { method: string; url: string; id: string }) {
    return { method: request.method, path: loggablePath(request.url), id: request.id };
  },
};

interface HeaderTarget {
  setHeader?: (name: string, value: string) => unknown;
  header?: (name: string, value: string) => unknown;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const logger =
    opts.logger === undefined || opts.logger === false
      ? false
      : {
          ...(typeof opts.logger === 'object' ? opts.logger : {}),
          serializers: requestSerializers,
          redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
        };
  const app = Fastify({
    logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: opts.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('store', opts.store);
  app.decorate('now', opts.now ?? (() => new Date()));
  app.decorate('cookieSecure', { getter: () => opts.cookieSecure ?? 'auto' });
  app.decorate('twoFactorRequired', opts.twoFactorRequired ?? true);
  app.decorate('routeTable', [] as RouteInfo[]);
  app.decorate('mailer', opts.smtp ? smtpMailer(opts.smtp) : null);
  app.decorate('publicUrl', opts.publicUrl);
  const loginCache = new LoginSessionCache(opts.store);
  await loginCache.start();
  app.decorate('loginCache', loginCache);
  app.addHook('onClose', () => loginCache.stop());
  const sessionChanges = new SessionChangeFeed(opts.store);
  app.decorate('sessionChanges', sessionChanges);
  app.addHook('onClose', () => sessionChanges.stop());
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.routeTable.push({ method, url: route.url, access: route.config?.access });
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  registerErrorHandler(app);
  await app.register(cookie);
  // The security headers are the same on every response: helmet's middleware runs once here, on a
  // stand-in response, and every response gets the headers it set (its Fastify wrapper rebuilt the
  // middleware, parsing the policy, on every request; running it per request still costs a dozen calls).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });
  const headers = securityHeadersOf(securityHeaders);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Rein API',
        version: '0.1.0',
        description: 'Rein: platform for clinics that treat depression with ketamine and esketamine.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rein_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  registerAuth(app);

  await app.register(exportRoutes);
  await app.register(fhirRoutes);
  await app.register(outcomeRoutes);
  await app.register(healthRoutes);
  await app.register(authRoutes, { loginRateLimitPerMinute: opts.loginRateLimitPerMinute ?? 20 });
  await app.register(clinicRoutes);
  await app.register(clinicalRecordRoutes);
  await app.register(bannerRoutes);
  await app.register(noteRoutes);
  await app.register(calendarRoutes);
  await app.register(schedulingRoutes);
  await app.register(courseRoutes);
  await app.register(dayBoardRoutes);
  await app.register(assessmentRoutes);
  await app.register(alertRoutes);
  await app.register(auditRoutes);
  await app.register(mechanismRoutes);
  await app.register(patientRoutes);
  await app.register(pkRoutes);
  await app.register(portalRoutes, { rateLimitPerMinute: opts.portalRateLimitPerMinute ?? 60 });
  await app.register(sessionRoutes);
  await app.register(sessionEventRoutes);
  await app.register(taperRoutes);
  await app.register(userRoutes);

  app.get('/api/openapi.json', { config: { access: { kind: 'public' } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const webDir = resolve(opts.webDir ?? 'dist/web');
  const hasWeb = existsSync(resolve(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: ['index.html'],
      // Serves the .br/.gz written at build time when the browser accepts it (Vary: Accept-Encoding).
      preCompressed: true,
      // Cache-Control comes from setHeaders alone (per file: hashed assets forever, index.html never).
      cacheControl: false,
      // @fastify/static 9 (the line that runs on Node 20) hands over the raw response; later
      // majors hand over the reply. Either way the header is set before the file is sent.
      setHeaders: (res: HeaderTarget, path: string) => {
        const value = cacheControlFor(relative(webDir, path));
        // A precompressed copy is chosen by Accept-Encoding, so caches must key on it (9 does not say so).
        const set = (name: string, v: string) =>
          res.setHeader ? res.setHeader(name, v) : res.header?.(name, v);
        set('cache-control', value);
        set('vary', 'Accept-Encoding');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (!request.url.startsWith('/api/') && request.method === 'GET' && hasWeb) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .status(404)
      .send({ error: { code: 'not_found', message: 'No such route.' }, requestId: request.id });
  });
  return app;
}

/** The headers a helmet middleware sets, read by running it once on a stand-in response. */
function securityHeadersOf(middleware: ReturnType<typeof helmet>): [string, string][] {
  const set = new Map<string, string>();
  const stand = {
    setHeader(name: string, value: unknown) {
      set.set(name, String(value));
    },
    removeHeader(name: string) {
      set.delete(name);
    },
  };
  let ran = false;
  middleware({} as never, stand as never, (err?: unknown) => {
    if (err !== undefined) throw err instanceof Error ? err : new Error(String(err));
    ran = true;
  });
  if (!ran || set.size === 0) throw new Error('the security headers middleware set no headers');
  return [...set];
}
