/**
 * Test support: the words a pdfkit document prints, read from the PDF itself — also from a
 * compressed one, as the server sends it — so tests assert what a reader sees on the page.
 * Handles what pdfkit writes with its standard fonts: Flate-compressed content streams whose text
 * is hex strings inside TJ arrays.
 */
import { inflateSync } from 'node:zlib';

/** The content streams of the PDF, inflated where they are Flate-compressed. */
function contentStreams(pdf: Buffer): string[] {
  const streams: string[] = [];
  const src = pdf.toString('latin1');
  const marker = /<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n/g;
  for (let m = marker.exec(src); m !== null; m = marker.exec(src)) {
    const dict = m[1]!;
    const start = m.index + m[0].length;
    const length = /\/Length (\d+)\b/.exec(dict);
    const end = length ? start + Number(length[1]) : src.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(dict)) {
      try {
        streams.push(inflateSync(raw).toString('latin1'));
      } catch {
        // Not a stream we can read (an image, a font): it holds no page text.
      }
    } else {
      streams.push(raw.toString('latin1'));
    }
    marker.lastIndex = end;
  }
  return streams;
}

/** The text drawn by the document, lines joined by one space (wrapped sentences read whole). */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const stream of contentStreams(pdf)) {
    for (const m of stream.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      lines.push(
        [...m[1]!.matchAll(/<([0-9a-fA-F]*)>/g)]
          .map((h) => Buffer.from(h[1]!, 'hex').toString('latin1'))
          .join(''),
      );
    }
  }
  return lines.join(' ').replace(/\s+/g, ' ');
}
