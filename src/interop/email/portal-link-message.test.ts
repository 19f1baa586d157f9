import { describe, expect, it } from 'vitest';
import { expiryWords, portalLinkMessage } from './portal-link-message';

const base = {
  to: 'robin@example.com',
  clinicName: 'Harbour Clinic',
  clinicPhone: '+1 555 0100',
  url: 'https://rein.example/portal/abc',
  expiresAt: new Date('2026-04-04T09:00:00Z'),
  timeZone: 'America/New_York',
};

describe('the portal-link e-mail', () => {
  it("writes the expiry in the clinic's wall-clock time", () => {
    expect(expiryWords(new Date('2026-04-04T09:00:00Z'), 'America/New_York')).toBe('4 April 2026 at 05:00');
    expect(expiryWords(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('1 January 2027 at 00:30');
  });

  it("carries the link, the expiry, the clinic's name and phone, to the patient's address", () => {
    const mail = portalLinkMessage(base);
    expect(mail.to).toBe('robin@example.com');
    expect(mail.subject).toContain('Harbour Clinic');
    expect(mail.text).toContain('https://rein.example/portal/abc');
    expect(mail.text).toContain('4 April 2026 at 05:00 (America/New_York time)');
    expect(mail.text).toContain('Call Harbour Clinic on +1 555 0100.');
  });

  it('without a clinic phone, asks the patient to contact the clinic', () => {
    const mail = portalLinkMessage({ ...base, clinicPhone: '  ' });
    expect(mail.text).toContain('Please contact Harbour Clinic.');
    expect(mail.text).not.toContain('Call ');
  });

  it('names no diagnosis, drug, treatment or score (a shared inbox may see it)', () => {
    const mail = portalLinkMessage(base);
    const words = `${mail.subject}\n${mail.text}`;
    expect(words).not.toMatch(
      /ketamine|esketamine|spravato|depress|anxiety|suicid|PHQ|GAD|C-SSRS|infusion|treatment|score|mental|psychiatr/i,
    );
  });
});
