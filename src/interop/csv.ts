/**
 * CSV (RFC 4180) for exports that people open in spreadsheets. Cells that a spreadsheet would run as
 * a formula (starting with = + - @, tab or carriage return) are prefixed with an apostrophe
 * (OWASP, "CSV Injection"), so an exported note can never execute.
 */
export interface CsvColumn<T> {
  header: string;
  value(row: T): string | number | boolean | null | undefined;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function csvHeader<T>(columns: ReadonlyArray<CsvColumn<T>>): string {
  return csvLine(columns.map((c) => c.header));
}

export function csvRow<T>(columns: ReadonlyArray<CsvColumn<T>>, row: T): string {
  return csvLine(columns.map((c) => c.value(row)));
}

export function toCsv<T>(columns: ReadonlyArray<CsvColumn<T>>, rows: Iterable<T>): string {
  let out = csvHeader(columns);
  for (const row of rows) out += csvRow(columns, row);
  return out;
}
