import type { Command } from 'commander';
import { UsageError } from './errors';

/**
 * `rein audit verify` checks every clinic's audit hash chain (or one clinic's) and reports the first
 * edited, inserted or deleted event, and the unsealed tail; it prints each chain's head (seq and
 * hash) so a clinic can record it elsewhere and later prove, with --anchor, that nothing up to that
 * point was rewritten. It only reads. `rein audit seal` seals what is waiting (`rein serve` does so
 * every second). `rein audit export FILE` writes one clinic's audit log as CSV.
 */
export function register(program: Command): void {
  const audit = program.command('audit').description('Check and export the tamper-evident audit log');

  audit
    .command('verify')
    .description('Verify the audit hash chain of every clinic (exit 1 when a chain is broken)')
    .option('--clinic <id>', 'only this clinic')
    .option('--anchor <seq:hash>', 'also check that event SEQ still has HASH (a head recorded earlier)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { clinic?: string; anchor?: string; json?: boolean }) => {
      let anchor: { seq: number; hash: string } | null = null;
      if (opts.anchor) {
        const m = /^(\d+):([0-9a-f]{64})$/.exec(opts.anchor);
        if (!m) throw new UsageError('--anchor', 'expected SEQ:HASH, e.g. 120:3fa9… (64 hex digits)');
        anchor = { seq: Number(m[1]), hash: m[2]! };
      }
      if (anchor && !opts.clinic)
        throw new UsageError('--anchor', 'give --clinic too: an anchor belongs to one clinic');
      const [{ withStore }, { checkAuditChain }, { clinicsOnRecord }, { chooseClinic }] = await Promise.all([
        import('./store'),
        import('../app/audit'),
        import('../app/clinic'),
        import('./clinic-choice'),
      ]);
      const results = await withStore(
        async (store) => {
          const ids = opts.clinic
            ? [(await chooseClinic(store.db, opts.clinic)).id]
            : (await clinicsOnRecord(store.db)).map((c) => c.id);
          const out = [];
          for (const id of ids) out.push(await checkAuditChain(store.db, id, anchor));
          return out;
        },
        { seal: false },
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(results)}\n`);
      } else {
        for (const r of results) {
          const head = r.head ? `head ${r.head.seq}:${r.head.hash}` : 'no events';
          const tail =
            r.unsealed > 0
              ? `; ${r.unsealed} events not sealed yet (oldest written ${r.oldestUnsealedAt!.toISOString()}; \`rein serve\` or \`rein audit seal\` seals them)`
              : '';
          if (r.ok)
            process.stdout.write(
              `clinic ${r.clinicId}: intact, ${r.checked} events checked; ${head}${tail}\n`,
            );
          else if (r.problem)
            process.stdout.write(`clinic ${r.clinicId}: BROKEN — ${r.problem.kind}: ${r.problem.message}\n`);
          else
            process.stdout.write(
              `clinic ${r.clinicId}: BROKEN — the anchored event no longer has the recorded hash\n`,
            );
        }
      }
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    });

  audit
    .command('seal')
    .description("Seal committed audit events into their clinic's hash chain (rein serve does this itself)")
    .option('--clinic <id>', 'only this clinic')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { clinic?: string; json?: boolean }) => {
      const [{ withStore }, { sealAuditEvents }, { chooseClinic }] = await Promise.all([
        import('./store'),
        import('../app/audit'),
        import('./clinic-choice'),
      ]);
      const result = await withStore(
        async (store) => {
          const clinicId = opts.clinic ? (await chooseClinic(store.db, opts.clinic)).id : undefined;
          return sealAuditEvents(store.db, clinicId);
        },
        { seal: false },
      );
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(result)}\n`
          : `Sealed ${result.sealed} audit events in ${result.clinics} clinics.\n`,
      );
    });

  audit
    .command('export')
    .description("Write a clinic's audit log to FILE as CSV (columns in docs/csv-exports.md)")
    .argument('<file>', 'where to write the CSV; refused if it exists')
    .option('--clinic <id>', 'the clinic (needed when there is more than one)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { clinic?: string; json?: boolean }) => {
      const [{ existsSync, writeFileSync }, { withStore }, { exportAuditLog }, { chooseClinic }] =
        await Promise.all([
          import('node:fs'),
          import('./store'),
          import('../app/audit'),
          import('./clinic-choice'),
        ]);
      if (existsSync(file)) throw new UsageError('FILE', `${file} already exists; choose a new file name`);
      const rows = await withStore(async (store) => {
        const clinic = await chooseClinic(store.db, opts.clinic);
        const { csv, events } = await exportAuditLog(store.db, clinic.id);
        writeFileSync(file, csv, { flag: 'wx' });
        return events;
      });
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ file, events: rows })}\n`
          : `Wrote ${rows} audit events to ${file}.\n`,
      );
    });
}
