import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../interop/pdf-text-test-support';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  signOrderForPlan,
  type TestClinic,
} from '../test-support';

/**
 * Clinical notes: prefilled from the session record and the previous note, signed and locked (by
 * the database too), co-signed where the clinic requires, addenda with who and when, printed.
 */
const START = new Date('2026-03-02T08:00:00Z'); // a Monday; clinic time zone UTC
const at = (min: number) => new Date(START.getTime() + min * 60_000);

describeEachStore('clinical notes API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  let admin: Session;
  let now = START;
  let patientId = '';
  let sessionId = '';
  let base = '';

  async function advanceTo(target: Date): Promise<void> {
    while (now.getTime() < target.getTime()) {
      now = new Date(Math.min(target.getTime(), now.getTime() + 20 * 60_000));
      for (const s of [nurse, prescriber, admin]) await s.request({ method: 'GET', url: '/api/clinic' });
    }
  }
  const post = (s: Session, url: string, payload: unknown = {}) =>
    s.request({ method: 'POST', url, payload });

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Notes Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    admin = await login(app, clinic.users.admin);
    const p = await post(nurse, '/api/patients', samplePatient());
    patientId = p.json().id;
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const c = await post(prescriber, `/api/patients/${patientId}/courses`, {
      templateId: 'iv-induction-2x-weekly-3wk',
      startDate: '2026-03-02',
    });
    expect(c.statusCode, c.body).toBe(201);
    sessionId = c.json().sessions[0].id;
    base = `/api/patients/${patientId}/sessions/${sessionId}`;
    expect((await post(nurse, `${base}/check-in`)).statusCode).toBe(200);
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    const ck = await post(nurse, `${base}/checklist`, { ...READY_CHECKLIST, weightKg: 80 });
    expect(ck.json().checklist.overall).toBe('ready');
    await post(nurse, `${base}/observations`, { kind: 'moaas', score: 5 });
    const dose = await post(nurse, `${base}/dose-plan`, { lotNumber: 'L-42' });
    expect(dose.statusCode, dose.body).toBe(200);
    await signOrderForPlan(prescriber, base);
    const started = await post(nurse, `${base}/start`);
    expect(started.json().phase).toBe('dosing');
    await advanceTo(at(10));
    await post(nurse, `${base}/vitals`, { sbpMmHg: 130, dbpMmHg: 82, heartRateBpm: 80, spo2Pct: 97 });
    await advanceTo(at(20));
    await post(nurse, `${base}/vitals`, { sbpMmHg: 150, dbpMmHg: 90, heartRateBpm: 92, spo2Pct: 95 });
    await post(nurse, `${base}/observations`, { kind: 'moaas', score: 4 });
  });

  const notesUrl = () => `/api/patients/${patientId}/notes`;

  describe('writing, signing and co-signing an IV administration note', () => {
    let noteId = '';

    it('prefills the session summary from the record and the template headings', async () => {
      const res = await post(nurse, notesUrl(), { kind: 'iv-administration', sessionId });
      expect(res.statusCode, res.body).toBe(201);
      const n = res.json();
      noteId = n.id;
      expect(n).toMatchObject({ status: 'draft', version: 1, authorRole: 'nurse', cosignRequired: false });
      expect(n.fields.session).toMatchObject({
        sessionId,
        sequence: 1,
        modality: 'iv-ketamine',
        doseMg: 40,
        doseMgPerKg: 0.5,
        weightKg: 80,
        lotNumber: 'L-42',
        dosingStartedAt: START.toISOString(),
        pauses: { count: 0, totalMin: 0 },
        // the checklist's baseline is the first reading
        vitals: { readings: 3, maxSbpMmHg: 150, maxDbpMmHg: 90, maxHeartRateBpm: 92, minSpo2Pct: 95 },
        lowestMoaas: 4,
        adverseEvents: [],
        discharge: null,
      });
      expect(n.text).toContain('IV access:');
      expect(n.fields.carriedFromNoteId).toBeNull();
    });

    it('lets only the author edit the draft, with the current version', async () => {
      const other = await prescriber.request({
        method: 'PUT',
        url: `${notesUrl()}/${noteId}`,
        payload: { version: 1, text: 'x', assessment: '', plan: '' },
      });
      expect(other.statusCode).toBe(403);
      const saved = await nurse.request({
        method: 'PUT',
        url: `${notesUrl()}/${noteId}`,
        payload: {
          version: 1,
          text: 'IV access: 22G left forearm, first attempt.',
          assessment: 'Tolerated well.',
          plan: 'Continue twice weekly.',
        },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ version: 2, fields: { plan: 'Continue twice weekly.' } });
      const stale = await nurse.request({
        method: 'PUT',
        url: `${notesUrl()}/${noteId}`,
        payload: { version: 1, text: 'y', assessment: '', plan: '' },
      });
      expect(stale.statusCode).toBe(409);
    });

    it('signs and locks: a nurse’s note then needs a co-signature, and nothing edits it', async () => {
      await advanceTo(at(30));
      await post(nurse, `${base}/vitals`, { sbpMmHg: 160, dbpMmHg: 92, heartRateBpm: 90, spo2Pct: 96 });
      const signed = await post(nurse, `${notesUrl()}/${noteId}/sign`, { version: 2 });
      expect(signed.statusCode, signed.body).toBe(200);
      expect(signed.json()).toMatchObject({ status: 'signed', cosignRequired: true, cosignedBy: null });
      expect(signed.json().signedAt).toBe(at(30).toISOString());
      // The summary is taken again from the record at signing.
      expect(signed.json().fields.session.vitals).toMatchObject({ readings: 4, maxSbpMmHg: 160 });

      const edit = await nurse.request({
        method: 'PUT',
        url: `${notesUrl()}/${noteId}`,
        payload: { version: 3, text: 'changed', assessment: '', plan: '' },
      });
      expect(edit.statusCode).toBe(409);
      expect((await post(nurse, `${notesUrl()}/${noteId}/sign`, { version: 3 })).statusCode).toBe(409);

      // The database refuses it too, whoever asks.
      const direct = (q: ReturnType<typeof sql>) => inClinic(store().db, clinic.id, (tx) => tx.execute(q));
      await expect(
        direct(sql`update clinical_notes set text = 'rewritten' where id = ${noteId}`),
      ).rejects.toThrow();
      await expect(
        direct(
          sql`update clinical_notes set cosigned_by = ${clinic.users.prescriber.id}, cosigned_at = now(), text = 'sneaky' where id = ${noteId}`,
        ),
      ).rejects.toThrow();
      await expect(direct(sql`delete from clinical_notes where id = ${noteId}`)).rejects.toThrow();
      const after = await nurse.request({ method: 'GET', url: `${notesUrl()}?sessionId=${sessionId}` });
      expect(after.json().items[0]).toMatchObject({
        id: noteId,
        text: 'IV access: 22G left forearm, first attempt.',
      });
    });

    it('is co-signed once, by a prescriber or admin who is not the author', async () => {
      expect((await post(nurse, `${notesUrl()}/${noteId}/cosign`)).statusCode).toBe(403);
      const frontDesk = await login(app, clinic.users.staff);
      expect((await post(frontDesk, `${notesUrl()}/${noteId}/cosign`)).statusCode).toBe(403);
      const ok = await post(prescriber, `${notesUrl()}/${noteId}/cosign`);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({
        cosignedBy: clinic.users.prescriber.id,
        cosignerName: `prescriber ${clinic.name}`,
        cosignedAt: at(30).toISOString(),
      });
      expect((await post(admin, `${notesUrl()}/${noteId}/cosign`)).statusCode).toBe(409);
    });

    it('takes addenda with who and when; addenda cannot be changed', async () => {
      await advanceTo(at(45));
      const res = await post(nurse, `${notesUrl()}/${noteId}/addenda`, {
        text: 'Patient called at home: mild nausea resolved.',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().addenda).toEqual([
        expect.objectContaining({
          text: 'Patient called at home: mild nausea resolved.',
          authorId: clinic.users.nurse.id,
          authorName: `nurse ${clinic.name}`,
          createdAt: at(45).toISOString(),
        }),
      ]);
      expect((await post(nurse, `${notesUrl()}/${noteId}/addenda`, { text: '  ' })).statusCode).toBe(400);
      await expect(
        inClinic(store().db, clinic.id, (tx) =>
          tx.execute(sql`update clinical_note_addenda set text = 'x' where note_id = ${noteId}`),
        ),
      ).rejects.toThrow();
    });

    it('prints the note with its summary, signatures and addenda', async () => {
      const res = await nurse.request({ method: 'GET', url: `${notesUrl()}/${noteId}/pdf` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/pdf');
      const text = pdfText(res.rawPayload);
      expect(text).toContain('IV ketamine administration note');
      expect(text).toContain('Lot: L-42');
      expect(text).toContain('Lowest MOAA/S: 4');
      expect(text).toContain('Continue twice weekly.');
      // The clinic writes dates the US way (its default locale), as its screens do.
      expect(text).toContain(`Co-signed by prescriber ${clinic.name}, 03/02/2026 08:30`);
      expect(text).toContain(`Addendum by nurse ${clinic.name}, 03/02/2026 08:45`);
      expect(text).toContain('born 04/12/1980');
    });

    it('carries the plan of the previous signed note of the same kind into the next', async () => {
      const res = await post(nurse, notesUrl(), { kind: 'iv-administration', sessionId });
      expect(res.statusCode).toBe(201);
      expect(res.json().fields).toMatchObject({
        plan: 'Continue twice weekly.',
        assessment: '',
        carriedFromNoteId: noteId,
      });
    });

    it('exports the notes to FHIR: signed final, draft preliminary, the addendum appending its note', async () => {
      const res = await prescriber.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` });
      expect(res.statusCode).toBe(200);
      type Doc = {
        resourceType: string;
        id: string;
        docStatus: string;
        type: { coding: { system: string; code: string }[] };
        authenticator?: { display?: string };
        relatesTo?: { code: string; target: { reference: string } }[];
        context?: { encounter: { reference: string }[] };
        content: { attachment: { contentType: string; data: string } }[];
        extension?: { extension: { url: string; valueReference?: { display?: string } }[] }[];
      };
      const docs = (res.json().entry as { resource: Doc }[])
        .map((e) => e.resource)
        .filter((r) => r.resourceType === 'DocumentReference');
      const signed = docs.find((d) => d.id === noteId)!;
      expect(signed).toMatchObject({
        docStatus: 'final',
        type: { coding: [{ system: 'http://loinc.org', code: '28570-0' }] },
        authenticator: { display: `nurse ${clinic.name}` },
        context: { encounter: [{ reference: `Encounter/${sessionId}` }] },
      });
      expect(signed.extension?.[0]?.extension[0]?.valueReference?.display).toBe(`prescriber ${clinic.name}`);
      const words = Buffer.from(signed.content[0]!.attachment.data, 'base64').toString('utf8');
      expect(words).toContain('IV access: 22G left forearm, first attempt.');
      expect(words).toContain('Continue twice weekly.');
      const addendum = docs.find(
        (d) => d.relatesTo?.[0]?.target.reference === `DocumentReference/${noteId}`,
      )!;
      expect(addendum.relatesTo![0]!.code).toBe('appends');
      expect(Buffer.from(addendum.content[0]!.attachment.data, 'base64').toString('utf8')).toContain(
        'mild nausea resolved',
      );
      const draft = docs.find((d) => d.id !== noteId && !d.relatesTo)!;
      expect(draft.docStatus).toBe('preliminary');
      expect(draft.authenticator).toBeUndefined();
    });
  });

  describe('who writes which note', () => {
    it('refuses a prescriber progress note from a nurse; a prescriber’s needs no co-signature', async () => {
      const refused = await post(nurse, notesUrl(), { kind: 'prescriber-progress' });
      expect(refused.statusCode).toBe(403);
      // A plain sentence for the clinician, naming no field.
      expect(refused.json().error.message).toBe('A nurse does not write this kind of note.');
      const n = await post(prescriber, notesUrl(), { kind: 'prescriber-progress' });
      expect(n.statusCode, n.body).toBe(201);
      expect(n.json().fields.session).toBeNull();
      const signed = await post(prescriber, `${notesUrl()}/${n.json().id}/sign`, { version: 1 });
      expect(signed.json()).toMatchObject({ status: 'signed', cosignRequired: false });
      expect((await post(admin, `${notesUrl()}/${n.json().id}/cosign`)).statusCode).toBe(409);
    });

    it('refuses a note of the wrong modality or without its session', async () => {
      const wrong = await post(nurse, notesUrl(), { kind: 'esketamine-treatment', sessionId });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.fields[0].path).toBe('kind');
      const none = await post(nurse, notesUrl(), { kind: 'iv-administration' });
      expect(none.statusCode).toBe(400);
      expect(none.json().error.fields[0].path).toBe('sessionId');
    });

    it('refuses an addendum on a draft and the author co-signing their own note', async () => {
      const n = await post(admin, notesUrl(), { kind: 'iv-administration', sessionId });
      expect((await post(admin, `${notesUrl()}/${n.json().id}/addenda`, { text: 'x' })).statusCode).toBe(409);
      // admins are not in the default co-sign list: their signed note needs none.
      const s = await post(admin, `${notesUrl()}/${n.json().id}/sign`, { version: 1 });
      expect(s.json().cosignRequired).toBe(false);
      expect((await post(admin, `${notesUrl()}/${n.json().id}/cosign`)).statusCode).toBe(403);
    });

    it('keeps notes from the front desk and from other clinics', async () => {
      const frontDesk = await login(app, clinic.users.staff);
      expect((await frontDesk.request({ method: 'GET', url: notesUrl() })).statusCode).toBe(403);
      expect((await post(frontDesk, notesUrl(), { kind: 'iv-administration', sessionId })).statusCode).toBe(
        403,
      );
      const other = await seedClinic(store(), 'Other Notes Clinic');
      const stranger = await login(app, other.users.nurse);
      expect((await stranger.request({ method: 'GET', url: notesUrl() })).statusCode).toBe(404);
    });
  });
});
