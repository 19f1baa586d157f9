import { describe, expect, it } from 'vitest';
import { budgetViolations, checkPortal, isClinicianModule, type Manifest, staticClosure } from './web-chunks';

/** The shape Vite writes: an entry, the portal and a clinician page as lazy chunks, shared chunks. */
function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    'index.html': {
      file: 'assets/index-a1b2c3d4.js',
      src: 'index.html',
      isEntry: true,
      imports: ['_client-e5f6a7b8.js'],
      dynamicImports: ['pages/PortalPage.tsx', 'pages/PatientPage.tsx', 'components/Layout.tsx'],
      css: ['assets/index-c0ffee00.css'],
    },
    '_client-e5f6a7b8.js': { file: 'assets/client-e5f6a7b8.js' },
    '_Select-11223344.js': { file: 'assets/Select-11223344.js', imports: ['_client-e5f6a7b8.js'] },
    'pages/PortalPage.tsx': {
      file: 'assets/PortalPage-99887766.js',
      src: 'pages/PortalPage.tsx',
      isDynamicEntry: true,
      imports: ['_client-e5f6a7b8.js', 'index.html'],
    },
    'pages/PatientPage.tsx': {
      file: 'assets/PatientPage-55443322.js',
      src: 'pages/PatientPage.tsx',
      isDynamicEntry: true,
      imports: ['_Select-11223344.js', 'index.html'],
    },
    'components/Layout.tsx': {
      file: 'assets/Layout-10203040.js',
      src: 'components/Layout.tsx',
      isDynamicEntry: true,
      imports: ['index.html'],
    },
    ...overrides,
  };
}

describe('the portal never downloads the clinician app (build output check)', () => {
  it('clinician modules are every page but portal, login and password change, plus the layout', () => {
    expect(isClinicianModule('pages/PatientPage.tsx')).toBe(true);
    expect(isClinicianModule('components/Layout.tsx')).toBe(true);
    expect(isClinicianModule('pages/PortalPage.tsx')).toBe(false);
    expect(isClinicianModule('pages/LoginPage.tsx')).toBe(false);
    expect(isClinicianModule('components/measurement/types.ts')).toBe(false);
  });

  it('follows static imports only: lazy pages are not downloaded with the entry', () => {
    const keys = staticClosure(manifest(), ['index.html']);
    expect([...keys].sort()).toEqual(['_client-e5f6a7b8.js', 'index.html']);
  });

  it('a split build passes and lists what the portal downloads', () => {
    const r = checkPortal(manifest());
    expect(r.violations).toEqual([]);
    expect(r.files).toEqual([
      'assets/PortalPage-99887766.js',
      'assets/client-e5f6a7b8.js',
      'assets/index-a1b2c3d4.js',
      'assets/index-c0ffee00.css',
    ]);
  });

  it('the portal importing the layout statically is caught', () => {
    const m = manifest();
    m['pages/PortalPage.tsx']!.imports!.push('components/Layout.tsx');
    expect(checkPortal(m).violations).toEqual(['components/Layout.tsx (in assets/Layout-10203040.js)']);
  });

  it('a clinician page merged into a chunk the portal loads is caught', () => {
    const m = manifest({
      'pages/PatientPage.tsx': {
        file: 'assets/client-e5f6a7b8.js',
        src: 'pages/PatientPage.tsx',
        isDynamicEntry: true,
      },
    });
    expect(checkPortal(m).violations).toEqual(['pages/PatientPage.tsx (in assets/client-e5f6a7b8.js)']);
  });

  it('an unsplit build (no portal chunk of its own) is an error, not a pass', () => {
    const m = manifest();
    delete m['pages/PortalPage.tsx'];
    expect(() => checkPortal(m)).toThrow(/PortalPage.tsx is not a chunk of its own/);
  });
});

describe('download budgets', () => {
  const report = (portalKb: number, largestKb: number) => ({
    largest: { file: 'assets/x.js', gzipBytes: largestKb * 1024 },
    portal: { files: 3, gzipBytes: portalKb * 1024 },
    allGzipBytes: 0,
  });
  it('passes a build within budget and names each budget broken', () => {
    expect(budgetViolations(report(149, 249))).toEqual([]);
    const broken = budgetViolations(report(151, 251));
    expect(broken).toHaveLength(2);
    expect(broken[0]).toContain('portal');
    expect(broken[1]).toContain('assets/x.js');
  });
});
