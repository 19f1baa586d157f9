import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultVitalsThresholds } from '../../clinical/protocols';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  DISCHARGE_READY,
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
 * Respiratory, haemodynamic and sedation alarms and serious adverse events through the HTTP API:
 * each raises an alert that needs a recorded decision (discharge waits for it), and reaches the
 * REMS form, the CSV exports and the dashboard.
 */

const START = new Date('2026-03-02T08:00:00Z'); // a Monday; clinic time zone UTC
const at = (min: number) => new Date(START.getTime() + min * 60_000);

const checklist = { ...READY_CHECKLIST, baselineSbpMmHg: 124 };
const dischargeOk = DISCHARGE_READY;

interface OpenAlert {
  vitalsEventId: string;
  source: string;
  alertId: string;
  alertIds: string[];
  message: string;
}

/** Minimal RFC 4180 parser for the test (quoted cells, doubled quotes, CRLF). */
function records(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describeEachStore('session alarms and serious adverse events API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  let admin: Session;
  let now = START;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Alarm Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
    admin = await login(app, clinic.users.admin);
  });

  /** Moves the clock in steps shorter than the 30-min idle expiry, keeping the logins alive. */
  async function advanceTo(target: Date): Promise<void> {
    while (now.getTime() < target.getTime()) {
      now = new Date(Math.min(target.getTime(), now.getTime() + 20 * 60_000));
      for (const s of [nurse, prescriber, admin]) await s.request({ method: 'GET', url: '/api/clinic' });
    }
  }

  /** A new patient's first session of `templateId`, checked in, checklist and dose done, dosing started. */
  async function dosedSession(templateId: string): Promise<string> {
    now = START;
    const p = await admin.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine', 'esketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId, startDate: '2026-03-02' },
    });
    expect(c.statusCode).toBe(201);
    const base = `/api/patients/${patientId}/sessions/${c.json().sessions[0].id}`;
    const checkIn = await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    expect(checkIn.statusCode, checkIn.body).toBe(200);
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    const ck = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: {
        ...checklist,
        weightKg: 70,
        lastFoodMinBeforeDose: 180,
        lastLiquidMinBeforeDose: 60,
        remsPatientEnrolled: true,
      },
    });
    expect(ck.json().checklist.overall).toBe('ready');
    expect(
      (await nurse.request({ method: 'POST', url: `${base}/dose-plan`, payload: { lotNumber: 'LOT-7' } }))
        .statusCode,
    ).toBe(200);
    await signOrderForPlan(prescriber, base);
    // Every course here starts on 2026-03-02, so once its rooms are full a first session is booked
    // on a later day: dosing it at START is dosing off its day, which needs a recorded reason.
    const start = await nurse.request({
      method: 'POST',
      url: `${base}/start`,
      payload: { scheduleOverrideReason: 'Test clinic: every session is dosed at START' },
    });
    expect(start.statusCode, start.body).toBe(200);
    return base;
  }

  const post = async (base: string, path: string, payload: object) => {
    const res = await nurse.request({ method: 'POST', url: `${base}/${path}`, payload });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  for (const templateId of ['iv-induction-2x-weekly-3wk', 'esketamine-trd-label']) {
    describe(templateId, () => {
      it('a normal reading and MOAA/S 4 raise nothing; SpO2, hypotension, bradycardia, slow breathing and MOAA/S 2 each need a decision', async () => {
        const base = await dosedSession(templateId);
        await advanceTo(at(10));
        await post(base, 'vitals', {
          sbpMmHg: 130,
          dbpMmHg: 80,
          heartRateBpm: 74,
          spo2Pct: 97,
          respiratoryRatePerMin: 14,
        });
        let state = await post(base, 'observations', { kind: 'moaas', score: 4 });
        expect(state.openAlerts).toEqual([]);
        expect(state.vitals.at(-1)).toMatchObject({ respiratoryRatePerMin: 14, alerts: [] });

        await advanceTo(at(20));
        state = await post(base, 'vitals', {
          sbpMmHg: 85,
          dbpMmHg: 50,
          heartRateBpm: 42,
          spo2Pct: 85,
          respiratoryRatePerMin: 8,
        });
        const reading = state.vitals.at(-1);
        expect(reading.alerts.map((a: { id: string }) => a.id).sort()).toEqual(
          ['VIT-HR-LOW', 'VIT-RR-LOW', 'VIT-SBP-FALL', 'VIT-SBP-LOW', 'VIT-SPO2-FALL', 'VIT-SPO2-LOW'].sort(),
        );
        expect(reading.alerts.every((a: { requiresDecision: boolean }) => a.requiresDecision)).toBe(true);
        state = await post(base, 'observations', { kind: 'moaas', score: 2 });
        // One open item per entry: the reading (its six alarms, one decision) and the MOAA/S entry.
        const open = state.openAlerts as OpenAlert[];
        expect(open).toHaveLength(2);
        expect(open.find((a) => a.source === 'vitals')!.alertIds.sort()).toEqual(
          ['VIT-HR-LOW', 'VIT-RR-LOW', 'VIT-SBP-FALL', 'VIT-SBP-LOW', 'VIT-SPO2-FALL', 'VIT-SPO2-LOW'].sort(),
        );
        const sedation = open.find((a) => a.source === 'sedation')!;
        expect(sedation).toMatchObject({ alertId: 'SED-MOAAS-DEEP' });
        expect(sedation.message).toContain('MOAA/S 2');
        expect(state.observations.at(-1).alerts[0]).toMatchObject({ id: 'SED-MOAAS-DEEP', decision: null });

        // The alarms keep the session open until each has a decision.
        await advanceTo(at(40));
        await post(base, 'vitals', { sbpMmHg: 130, dbpMmHg: 80 });
        await advanceTo(at(130));
        await post(base, 'vitals', { sbpMmHg: 124, dbpMmHg: 78, heartRateBpm: 70, spo2Pct: 97 });
        const refused = await nurse.request({
          method: 'POST',
          url: `${base}/discharge`,
          payload: { ...dischargeOk, readyToLeaveMinFromStart: 100 },
        });
        expect(refused.statusCode).toBe(400);
        expect(refused.json().error.fields[0].path).toBe('alerts');
        expect(refused.json().error.message).toMatch(/open alert/);

        for (const a of open) {
          state = await post(base, 'alert-decisions', {
            vitalsEventId: a.vitalsEventId,
            alertId: a.alertId,
            // Dosing has ended by minute 130: continuing is the one decision that still applies.
            decision: 'continue',
            note: 'oxygen given, stimulated, recovered',
          });
        }
        expect(state.openAlerts).toEqual([]);
        expect(state.observations.at(-1).alerts[0].decision).toMatchObject({ decision: 'continue' });
        // Recovery recorded: sedation back to the pre-dose score after dosing ended.
        await post(base, 'observations', { kind: 'moaas', score: 5 });
        const out = await nurse.request({
          method: 'POST',
          url: `${base}/discharge`,
          payload: { ...dischargeOk, readyToLeaveMinFromStart: 130 },
        });
        expect(out.statusCode, out.body).toBe(200);
      });

      it('a serious adverse event needs a decision; a mild one does not; onset and escalation are kept', async () => {
        const base = await dosedSession(templateId);
        await advanceTo(at(25));
        let state = await post(base, 'adverse-events', {
          category: 'headache',
          severity: 'mild',
          actionTaken: 'observed',
        });
        expect(state.adverseEvents[0].alert).toBeNull();
        expect(state.openAlerts).toEqual([]);

        state = await post(base, 'adverse-events', {
          category: 'allergic-reaction',
          severity: 'moderate',
          actionTaken: 'escalated-emergency',
          serious: true,
          onsetMin: 22,
          escalation: 'emergency-services-called',
          description: 'urticaria, wheeze',
        });
        const ae = state.adverseEvents.at(-1);
        expect(ae).toMatchObject({
          category: 'allergic-reaction',
          serious: true,
          onsetMin: 22,
          timeMin: 25,
          escalation: 'emergency-services-called',
          alert: { id: 'AE-NEEDS-DECISION', reasons: ['serious'], decision: null },
        });
        expect(state.openAlerts).toEqual([
          expect.objectContaining({
            vitalsEventId: ae.id,
            source: 'adverse-event',
            alertId: 'AE-NEEDS-DECISION',
          }),
        ]);
        // Stop applies while the infusion runs; the esketamine devices are all given by minute 25.
        const decision = templateId.startsWith('iv') ? 'stop' : 'continue';
        state = await post(base, 'alert-decisions', {
          vitalsEventId: ae.id,
          alertId: 'AE-NEEDS-DECISION',
          decision,
        });
        expect(state.openAlerts).toEqual([]);
        expect(state.adverseEvents.at(-1).alert.decision).toMatchObject({ decision });

        // A respiratory event needs a decision even when mild.
        state = await post(base, 'adverse-events', {
          category: 'desaturation-hypoxia',
          severity: 'mild',
          actionTaken: 'observed',
        });
        expect(state.openAlerts).toHaveLength(1);
        expect(state.openAlerts[0].message).toContain('respiratory');
      });

      it('refuses an onset after the time of recording, naming the field', async () => {
        const base = await dosedSession(templateId);
        await advanceTo(at(15));
        const res = await nurse.request({
          method: 'POST',
          url: `${base}/adverse-events`,
          payload: {
            category: 'dizziness',
            severity: 'mild',
            actionTaken: 'none',
            timeMin: 10,
            onsetMin: 12,
          },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.fields[0].path).toBe('onsetMin');
        const rr = await nurse.request({
          method: 'POST',
          url: `${base}/vitals`,
          payload: { respiratoryRatePerMin: 120 },
        });
        expect(rr.statusCode).toBe(400);
        expect(rr.json().error.fields[0].path).toBe('body.respiratoryRatePerMin');
      });
    });
  }

  it('the REMS form reports respiratory depression (SpO2 alarm) and a serious adverse event; the exports and dashboard carry them', async () => {
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: {
        ...settings,
        remsSetting: { name: 'Alarm Clinic', address: '1 Main St' },
        remsMonitoringHcp: { name: 'Dr Nurse', phone: '555-0100', email: 'hcp@example.org' },
      },
    });
    const before = (await nurse.request({ method: 'GET', url: '/api/outcomes/summary' })).json();
    const base = await dosedSession('esketamine-trd-label');
    await advanceTo(at(30));
    await post(base, 'vitals', { spo2Pct: 85 });
    const state = await post(base, 'adverse-events', {
      category: 'respiratory-depression',
      severity: 'severe',
      actionTaken: 'escalated-emergency',
      serious: true,
      escalation: 'prescriber-notified',
    });
    for (const a of state.openAlerts as OpenAlert[]) {
      await post(base, 'alert-decisions', {
        vitalsEventId: a.vitalsEventId,
        alertId: a.alertId,
        decision: 'continue', // the devices are all given by minute 30
      });
    }
    await advanceTo(at(40));
    await post(base, 'vitals', { sbpMmHg: 138, dbpMmHg: 86, spo2Pct: 96 });
    await advanceTo(at(121));
    await post(base, 'vitals', { sbpMmHg: 126, dbpMmHg: 80, heartRateBpm: 76, spo2Pct: 97 });
    await post(base, 'observations', { kind: 'moaas', score: 5 });
    await post(base, 'discharge', { ...dischargeOk, readyToLeaveMinFromStart: 121 });

    const rems = (await nurse.request({ method: 'GET', url: `${base}/rems` })).json();
    expect(rems.ok).toBe(true);
    expect(rems.form.seriousAdverseEventReported).toBe(true);
    expect(rems.form.pulseOximetryMonitored).toBe(true);
    expect(rems.form.respiratoryDepression.observed).toBe(true);
    expect(rems.form.respiratoryDepression.details).toContain('SpO2 85 % is below 92 %');
    expect(rems.form.respiratoryDepression.details).toContain('respiratory depression at 30 min, serious');

    const sessions = records(
      (await nurse.request({ method: 'GET', url: '/api/exports/sessions.csv?from=2026-03-02' })).body,
    );
    const row = sessions.find((r) => base.endsWith(r.session_id!))!;
    expect(row).toMatchObject({
      min_spo2_pct: '85',
      desaturation_alarms: '1', // one reading: below 92 % and >= 4 points under the pre-dose 98 %
      serious_adverse_events: '1',
      hypotension_alarms: '0',
      bradycardia_alarms: '0',
    });
    const aes = records(
      (await nurse.request({ method: 'GET', url: '/api/exports/adverse-events.csv' })).body,
    ).filter((r) => base.endsWith(r.session_id!));
    expect(aes).toEqual([
      expect.objectContaining({
        category: 'respiratory-depression',
        severity: 'severe',
        serious: 'true',
        escalation: 'prescriber-notified',
        onset_min: '',
      }),
    ]);

    const after = (await nurse.request({ method: 'GET', url: '/api/outcomes/summary' })).json();
    expect(after.sessions.seriousAdverseEvents.successes).toBe(
      before.sessions.seriousAdverseEvents.successes + 1,
    );
  });

  it('exports deep-sedation and bradycardia alarms in the session CSV', async () => {
    const base = await dosedSession('iv-induction-2x-weekly-3wk');
    await advanceTo(at(20));
    await post(base, 'vitals', { heartRateBpm: 45 });
    await post(base, 'observations', { kind: 'moaas', score: 1 });
    const rows = records(
      (await nurse.request({ method: 'GET', url: '/api/exports/sessions.csv?from=2026-03-02' })).body,
    );
    expect(rows.find((r) => base.endsWith(r.session_id!))).toMatchObject({
      bradycardia_alarms: '1',
      min_heart_rate_bpm: '45',
      deep_sedation_alarms: '1',
      min_moaas_score: '1',
    });
  });

  it('clinic thresholds: the settings change the alarm edge; a stored row without the new alarms still alarms', async () => {
    const url = '/api/session-settings/vitals-thresholds';
    const listed = (await nurse.request({ method: 'GET', url })).json();
    const defaults = {
      'iv-ketamine': listed['iv-ketamine'].defaults,
      esketamine: listed.esketamine.defaults,
    };
    expect(defaults['iv-ketamine'].spo2BelowPct).toMatchObject({ value: 92, status: 'U' });
    expect(defaults.esketamine.deepSedationMoaasAtOrBelow).toMatchObject({ value: 2, status: 'U' });

    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    // A row saved before the new alarms existed: SpO2 null, the others absent.
    const d = defaultVitalsThresholds('iv-ketamine');
    const legacy = {
      preDoseCautionSbpAboveMmHg: d.preDoseCautionSbpAboveMmHg,
      preDoseCautionDbpAboveMmHg: d.preDoseCautionDbpAboveMmHg,
      holdSbpAboveMmHg: d.holdSbpAboveMmHg,
      holdDbpAboveMmHg: d.holdDbpAboveMmHg,
      holdHeartRateAboveBpm: d.holdHeartRateAboveBpm,
      riseSbpFromBaselineMmHg: d.riseSbpFromBaselineMmHg,
      riseDbpFromBaselineMmHg: d.riseDbpFromBaselineMmHg,
      spo2BelowPct: null,
    };
    const put = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: {
        ...settings,
        thresholds: {
          'iv-ketamine': legacy,
          esketamine: {
            ...defaults.esketamine,
            spo2BelowPct: { value: 94, status: 'clinic', source: 'Clinic setting' },
          },
        },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const inForce = (await nurse.request({ method: 'GET', url })).json();
    expect(inForce['iv-ketamine'].source).toBe('clinic');
    expect(inForce['iv-ketamine'].inForce.spo2BelowPct).toEqual(defaults['iv-ketamine'].spo2BelowPct);
    expect(inForce.esketamine.inForce.spo2BelowPct).toMatchObject({ value: 94, status: 'clinic' });
    const iv = await dosedSession('iv-induction-2x-weekly-3wk');
    await advanceTo(at(10));
    let state = await post(iv, 'vitals', { spo2Pct: 91 });
    // The thresholds a reading was judged against are on the session screen, not in its answer.
    const view = (await nurse.request({ method: 'GET', url: iv })).json();
    expect(view.thresholdsSource).toBe('clinic');
    expect(view.thresholds.spo2BelowPct.value).toBe(92);
    // 91 is also 7 points under the pre-dose 98 %: the fall alarm (default) fires too.
    expect(state.openAlerts.map((a: OpenAlert) => a.alertIds)).toEqual([['VIT-SPO2-LOW', 'VIT-SPO2-FALL']]);

    const esk = await dosedSession('esketamine-trd-label');
    await advanceTo(at(10));
    state = await post(esk, 'vitals', { spo2Pct: 95 });
    expect(state.openAlerts).toEqual([]);
    state = await post(esk, 'vitals', { spo2Pct: 93 });
    expect(state.openAlerts.map((a: OpenAlert) => a.alertIds)).toEqual([['VIT-SPO2-LOW', 'VIT-SPO2-FALL']]);
    expect(state.openAlerts[0].message).toContain('below 94 % [clinic]');
    await admin.request({ method: 'PUT', url: '/api/session-settings', payload: settings });
  });
});
