import type PDFDocument from 'pdfkit';

let pdfkit: Promise<typeof PDFDocument> | undefined;

/**
 * pdfkit's document class, loaded when a process draws its first PDF. Loading it takes about a
 * third of a second of CPU, which every `rein` command and server start paid at import, drawing a
 * PDF or not.
 */
export function loadPdfDocument(): Promise<typeof PDFDocument> {
  pdfkit ??= import('pdfkit').then((m) => m.default);
  return pdfkit;
}
