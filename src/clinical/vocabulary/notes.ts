/** Clinical note kinds: the two administration notes written at the chair and the prescriber's note. */
import { z } from 'zod';
import type { Modality } from './modalities';

export const NOTE_KINDS = ['iv-administration', 'esketamine-treatment', 'prescriber-progress'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];
export const noteKindSchema = z.enum(NOTE_KINDS);

export const NOTE_KIND_LABELS: Readonly<Record<NoteKind, string>> = {
  'iv-administration': 'IV ketamine administration note',
  'esketamine-treatment': 'Esketamine treatment note',
  'prescriber-progress': 'Prescriber progress note',
};

/** A draft is edited by its author; once signed, a note never changes (addenda are added to it). */
export const NOTE_STATUSES = ['draft', 'signed'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

/** The administration note written at the chair for a session of each modality. */
export const ADMINISTRATION_NOTE_KIND: Readonly<Record<Modality, NoteKind>> = {
  'iv-ketamine': 'iv-administration',
  esketamine: 'esketamine-treatment',
};
