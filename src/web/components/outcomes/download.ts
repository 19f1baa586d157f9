/** Client-side CSV (RFC 4180, formula-neutralised like src/interop/csv.ts) and a file download. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let t = String(v);
  if (typeof v === 'string' && FORMULA_START.test(t)) t = `'${t}`;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function toCsvText(header: string[], rows: (string | number | null | undefined)[][]): string {
  return [header, ...rows].map((r) => `${r.map(cell).join(',')}\r\n`).join('');
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
