import { describe, expect, it } from 'vitest';
import { MODALITIES, MODALITY_LABELS, modalityLabel } from './modalities';

describe('modalityLabel', () => {
  it('names each treatment as a clinician does, never by its stored code', () => {
    expect(modalityLabel('iv-ketamine')).toBe('IV ketamine');
    expect(modalityLabel('esketamine')).toBe('Esketamine (intranasal)');
    for (const m of MODALITIES) expect(modalityLabel(m)).toBe(MODALITY_LABELS[m]);
  });

  it('shows a value this version does not know as stored rather than nothing', () => {
    expect(modalityLabel('im-ketamine')).toBe('im-ketamine');
  });
});
