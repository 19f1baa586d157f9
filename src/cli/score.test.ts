import { describe, expect, it } from 'vitest';
import { runRein } from './test-run';

/** `rein ARGS…` in process (the same main() the binary runs). */
const rein = (...args: string[]) => runRein(args);

describe('rein score', () => {
  it('lists the instruments as JSON', async () => {
    const r = await rein('score', '--list', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; itemTextShipped: boolean }[];
    expect(rows.map((x) => x.id)).toEqual([
      'phq9',
      'phq2',
      'gad7',
      'qids-sr16',
      'madrs',
      'cssrs-screener',
      'cadss',
      'cadss6',
      'ssi',
    ]);
    expect(rows.filter((x) => x.itemTextShipped).map((x) => x.id)).toEqual([
      'phq9',
      'phq2',
      'gad7',
      'qids-sr16',
    ]);
  });

  it('scores a PHQ-9 (1+1+2+0+1+0+0+1+1 = 7, mild, item 9 positive)', async () => {
    const r = await rein('score', 'phq9', '--answers', '1,1,2,0,1,0,0,1,1', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ instrument: 'phq9', total: 7, severity: 'mild', flags: ['suicidality'] });
    expect((out.items as unknown[]).length).toBe(10);
  });

  it('scores a C-SSRS screener with skipped questions and reports the risk', async () => {
    const r = await rein('score', 'cssrs-screener', '--answers', '1,0,-,-,-,0,-', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      instrument: 'cssrs-screener',
      risk: 'low',
      flags: ['suicidality'],
    });
  });

  it('exits 2 naming the item for an out-of-range answer', async () => {
    const r = await rein('score', 'phq9', '--answers', '0,0,0,0,0,0,0,0,4');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('item 9');
  });

  it('exits 2 naming the item when the skip logic is broken', async () => {
    const r = await rein('score', 'cssrs-screener', '--answers', '1,0,1,-,-,0,-');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('item q3');
  });
});
