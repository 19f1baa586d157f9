/**
 * Hostile input: every JSON route gets bodies, query strings and path parameters
 * generated from its own OpenAPI schema (which comes from its zod schema), then corrupted with hostile
 * values — wrong types, huge and deeply nested payloads, long and odd unicode strings, SQL and HTML
 * fragments, prototype-pollution keys. Whatever arrives, the answer is never a 5xx and never leaks a
 * stack trace or SQL; oversized bodies are refused with 413.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { BODY_LIMIT_BYTES } from './app';
import { createTestApp, login, samplePatient, seedClinic, type Session } from './test-support';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

const HOSTILE_STRINGS = [
  "'; DROP TABLE patients; --",
  "1' OR '1'='1",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '../../../../etc/passwd',
  '\u0000\u0001\u0002',
  '𝕽𝖊𝖎𝖓 👩🏽‍⚕️ ﷽ ‮reversed‬',
  '\ud800',
  'x'.repeat(20_000),
  '%00%27%22',
  '__proto__',
  'NaN',
  '-1e309',
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(null, true, -1, 0, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, [], {}, [[[]]]),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant({ __proto__: { admin: true }, constructor: { prototype: { polluted: true } } }),
);

/** A value that (mostly) satisfies the schema, so requests get past validation into the handlers. */
function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  if (schema.allOf?.length) return fromSchema(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = fromSchema(sub, depth + 1);
      return fc.record(record, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
    case 'integer':
      return fc.integer({
        min: Math.ceil(schema.minimum ?? -1000),
        max: Math.floor(Math.min(schema.maximum ?? 1000, 1e6)),
      });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1000,
        max: Math.min(schema.maximum ?? 1000, 1e6),
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'string':
      switch (schema.format) {
        case 'uuid':
          return fc.uuid();
        case 'date':
          return fc
            .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, 10));
        case 'date-time':
          return fc
            .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString());
        case 'email':
          return fc.emailAddress();
        default:
          return fc.string({
            minLength: schema.minLength ?? 0,
            maxLength: Math.min(schema.maxLength ?? 40, 40),
          });
      }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Replaces some fields (or the whole value) with hostile values. */
function corrupt(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 1, arbitrary: hostileValue },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          valid,
          fc.array(fc.tuple(fc.string({ maxLength: 12 }), hostileValue), { minLength: 1, maxLength: 3 }),
          fc.boolean(),
        )
        .map(([v, extras, replace]) => {
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
          const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
          const keys = Object.keys(out);
          for (const [i, [key, value]] of extras.entries()) {
            if (replace && keys.length > 0) out[keys[i % keys.length]!] = value;
            else out[key] = value;
          }
          return out;
        }),
    },
  );
}

interface Operation {
  method: string;
  path: string;
  body?: JsonSchema;
  query: Array<{ name: string; schema: JsonSchema }>;
  pathParams: string[];
}

function operations(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as {
        requestBody?: { content?: Record<string, { schema: JsonSchema }> };
        parameters?: Array<{ in: string; name: string; schema: JsonSchema }>;
      };
      ops.push({
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
        query: (op.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema })),
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      });
    }
  }
  return ops;
}

const leaks = (body: string) =>
  /\bat [\w$.<>]+ \(|\.ts:\d+:\d+|node_modules|SELECT |INSERT INTO|syntax error at/i.test(body);

describeEachStore('hostile input on every route', ({ store }) => {
  let app: FastifyInstance;
  let admin: Session;
  let ops: Operation[];
  const realIds: Record<string, string> = {};
  beforeAll(async () => {
    app = await createTestApp(store(), {
      loginRateLimitPerMinute: 100_000,
      portalRateLimitPerMinute: 100_000,
    });
    const clinic = await seedClinic(store(), 'Fuzz Clinic');
    admin = await login(app, clinic.users.admin);
    const patient = await admin.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    realIds.patientId = patient.json().id;
    realIds.userId = clinic.users.nurse.id;
    ops = operations((await app.inject({ method: 'GET', url: '/api/openapi.json' })).json()).filter(
      // Logging out would end the fuzzing session; it takes no input anyway.
      (op) => op.path !== '/api/auth/logout',
    );
  });

  it('covers every documented operation', () => {
    expect(ops.length).toBeGreaterThanOrEqual(30);
  });

  it(
    'never answers 5xx or leaks internals, whatever the body, query or path',
    { timeout: 600_000 },
    async () => {
      const failures: string[] = [];
      for (const op of ops) {
        const pathArb = fc.record(
          Object.fromEntries(
            op.pathParams.map((name) => [
              name,
              fc.oneof(
                fc.constant(realIds[name] ?? null),
                fc.uuid(),
                fc.constantFrom(...HOSTILE_STRINGS.map((s) => s.slice(0, 200))),
              ),
            ]),
          ),
        );
        const queryArb = fc.record(
          Object.fromEntries(op.query.map((q) => [q.name, corrupt(fromSchema(q.schema))])),
          { requiredKeys: [] },
        );
        const bodyArb = op.body ? corrupt(fromSchema(op.body)) : fc.constant(undefined);
        await fc
          .assert(
            fc.asyncProperty(pathArb, queryArb, bodyArb, async (params, query, body) => {
              let url = op.path;
              for (const [name, value] of Object.entries(params)) {
                url = url.replace(
                  `{${name}}`,
                  encodeURIComponent(
                    String(value ?? realIds[name] ?? '00000000-0000-7000-8000-000000000000'),
                  ),
                );
              }
              const qs = new URLSearchParams();
              for (const [k, v] of Object.entries(query))
                qs.set(k, typeof v === 'string' ? v : JSON.stringify(v));
              const res = await admin.request({
                method: op.method,
                url: qs.size ? `${url}?${qs}` : url,
                ...(op.method === 'GET' || op.method === 'DELETE'
                  ? {}
                  : { payload: body === undefined ? {} : (body as object) }),
              });
              if (res.statusCode >= 500 || leaks(res.body)) {
                failures.push(`${op.method} ${op.path} → ${res.statusCode}: ${res.body.slice(0, 200)}`);
                return false;
              }
              return true;
            }),
            { numRuns: 12, seed: 20261126, endOnFailure: true },
          )
          .catch(() => undefined);
      }
      expect(failures).toEqual([]);
    },
  );

  it('refuses deeply nested and oversized bodies cleanly', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      payload: deep,
    });
    expect(res.statusCode).toBe(400);
    const big = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      payload: JSON.stringify({ notes: 'x'.repeat(BODY_LIMIT_BYTES + 1) }),
    });
    expect(big.statusCode).toBe(413);
    const xml = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/xml' },
      payload: '<patient/>',
    });
    expect(xml.statusCode).toBe(415);
  });
});
