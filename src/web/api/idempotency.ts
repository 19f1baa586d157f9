/**
 * A new Idempotency-Key for a form's submission: made once per form shown and sent with every
 * retry of it, so a retried or double-clicked submission is stored once (the server answers a
 * repeat with the first answer). `crypto.randomUUID` needs a secure context; over plain HTTP on a
 * clinic network the same 122 random bits come from `getRandomValues`.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
