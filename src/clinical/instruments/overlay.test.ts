import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { renderDefinition, type TextOverlay } from './overlay';
import { instruments } from './registry';
import { scoreInstrument } from './score';

const madrsOverlay: TextOverlay = {
  format: 'rein-instrument-text/1',
  instrument: 'madrs',
  version: '1.0.0',
  language: 'en',
  licence: 'Example clinic licence #123 (test fixture, not real wording)',
  stem: 'Test stem',
  items: {
    '10': { text: 'Test wording for item 10', options: { '0': 'Test anchor 0', '6': 'Test anchor 6' } },
  },
};

describe('licensed text overlay', () => {
  it('ships wording only for the free instruments', () => {
    const withText = instruments.filter((d) => d.items.some((i) => i.text !== undefined)).map((d) => d.id);
    expect(withText.sort()).toEqual(['gad7', 'phq2', 'phq9', 'qids-sr16']);
    for (const d of instruments) expect(d.licence.itemTextShipped).toBe(withText.includes(d.id));
  });

  it('adds text without touching values or scoring', () => {
    const def = renderDefinition('madrs', { overlay: madrsOverlay });
    const item10 = def.items.find((i) => i.id === '10')!;
    expect(item10.text).toBe('Test wording for item 10');
    expect(item10.options.find((o) => o.value === 6)?.text).toBe('Test anchor 6');
    expect(item10.options.find((o) => o.value === 3)?.text).toBeUndefined();
    expect(def.stem).toBe('Test stem');
    expect(item10.options.map((o) => o.value)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // The shipped definition stays label-only.
    expect(renderDefinition('madrs').items.find((i) => i.id === '10')!.text).toBeUndefined();
    expect(scoreInstrument('madrs', [0, 0, 0, 0, 0, 0, 0, 0, 0, 6]).total).toBe(6);
  });

  it.each<[Partial<TextOverlay>, string]>([
    [{ version: '0.9.0' }, 'overlay.version'],
    [{ instrument: 'phq9' }, 'overlay.instrument'],
    [{ items: { '11': { text: 'x' } } }, 'overlay.items.11'],
    [{ items: { '1': { options: { '7': 'x' } } } }, 'overlay.items.1.options.7'],
    [{ format: 'other' as 'rein-instrument-text/1' }, 'overlay.format'],
  ])('rejects a mismatching overlay %j', (patch, field) => {
    try {
      renderDefinition('madrs', { overlay: { ...madrsOverlay, ...patch } });
    } catch (err) {
      expect(err).toBeInstanceOf(ClinicalInputError);
      expect((err as ClinicalInputError).field).toBe(field);
      return;
    }
    throw new Error('accepted a bad overlay');
  });
});
