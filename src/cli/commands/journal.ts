import type { Command } from 'commander';
import { z } from 'zod';
import { configFrom } from '../options.js';
import Database from 'better-sqlite3';
import { checkAnchor, type AnchorCheck } from '../../core/journal/anchor.js';
import { silentLogger } from '../../log/logger.js';
import { openRegistry } from '../../registry/index.js';
import { dataPaths } from '../../config/load.js';
import { openJournal } from '../../ops/open-journal.js';
import { journalPresence } from '../../core/journal/presence.js';
import { checkLedger } from '../../core/journal/ledger.js';
import { backupJournal, listBackups, pruneBackups, verifyBackup } from '../../ops/backup.js';
import { backupDirOf } from '../../ops/kiosk-ops.js';
import { pruneJournal } from '../../ops/prune.js';
import { restoreJournal } from '../../ops/restore.js';
import { verifyWithRetention } from '../../ops/verify.js';

const out = (s: string) => process.stdout.write(s + '\n');

/** The registry's acknowledged audit head against this journal; the registry's adapter gets a scratch database (nothing is delivered from here). */
async function remoteAnchor(
  config: ReturnType<typeof configFrom>,
  j: { db: Database.Database },
): Promise<AnchorCheck | { error: string }> {
  const scratch = new Database(':memory:');
  try {
    const registry = await openRegistry(config.registry, {
      kioskId: config.kiosk.id,
      dataDir: dataPaths(config).dataDir,
      db: scratch,
      log: silentLogger,
    });
    try {
      return checkAnchor(j.db, (await registry.port.auditAnchor()).auditHead);
    } finally {
      await registry.close();
    }
  } catch (e) {
    return { error: `registry not reached: ${(e as Error).message}` };
  } finally {
    scratch.close();
  }
}

export function registerJournal(program: Command): void {
  const journal = program.command('journal').description('the kiosk journal (SQLite)');
  journal
    .command('verify')
    .description('check the hash-chained audit log and every journal row against it; exit 1 on any problem')
    .option('--file <path>', 'journal file (default: from the configuration)')
    .option('--key <file>', 'journal key file (default: journal.keyFile)')
    .option(
      '--remote',
      'also compare the chain with the audit head the registry acknowledged (finds a rewritten, cut or rolled-back journal even when the key was used)',
    )
    .action(async (o: { file?: string; key?: string; remote?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const path = o.file ?? dataPaths(config).journal;
      const keyPath = o.key ?? dataPaths(config).journalKey;
      // Verifying never creates a journal: a missing, empty or cut file is an error.
      const presence = journalPresence(path, keyPath);
      if (presence.state !== 'present') {
        process.stderr.write(
          `journal verify: ${presence.state === 'lost' ? presence.problem : `no journal at ${path}`}\n`,
        );
        process.exitCode = 1;
        return;
      }
      const j = openJournal(path, config.kiosk.id, { mustExist: true, keyPath });
      // Rows removed by `journal prune` are listed in the audit log and are not reported as deleted.
      const report = verifyWithRetention(j);
      const ledger = checkLedger(j);
      const anchor = o.remote ? await remoteAnchor(config, j) : null;
      j.db.close();
      if (report.ok) out(`journal ok: ${report.auditRows} audit rows, chain and mirrors intact`);
      else {
        out(
          `journal TAMPERED: ${report.problems.length} problem(s)\n${report.problems.map((p) => `  ${p}`).join('\n')}`,
        );
        process.exitCode = 1;
      }
      const totals = `yen in ¥${ledger.yenIn} = fees kept ¥${ledger.feesKept} + paid out ¥${ledger.paidOut} + IOUs ¥${ledger.iouYen}`;
      if (ledger.ok)
        out(
          `ledger ok: ${ledger.transactions} closed transactions balance (${totals})${ledger.unresolved ? `; ${ledger.unresolved} await a technician's cash count` : ''}`,
        );
      else {
        out(
          `ledger VIOLATED: ${ledger.violations.length} problem(s)\n${ledger.violations.map((v) => `  transaction ${v.txId}: ${v.problem}`).join('\n')}`,
        );
        process.exitCode = 1;
      }
      if (anchor && 'error' in anchor) {
        out(`anchor UNCHECKED: ${anchor.error}`);
        process.exitCode = 1;
      } else if (anchor && anchor.ok)
        out(
          anchor.anchored
            ? `anchor ok: row ${anchor.anchored.seq} is the row the registry acknowledged (journal has ${anchor.rows})`
            : 'anchor ok: the registry holds no audit head for this kiosk yet',
        );
      else if (anchor) {
        out(`anchor MISMATCH (${anchor.problem}): ${anchor.message}`);
        process.exitCode = 1;
      }
    });
  journal
    .command('open')
    .description('list transactions that are not closed (recovery resolves them at start-up)')
    .option('--file <path>', 'journal file')
    .action((o: { file?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const j = openJournal(o.file ?? dataPaths(config).journal, config.kiosk.id, {
        mustExist: true,
        keyPath: dataPaths(config).journalKey,
      });
      for (const t of j.openTransactions())
        out(`${t.id}  ${t.started_at}  ${t.certificate_type ?? '-'}  fee ${t.fee_yen ?? '-'}`);
      j.db.close();
    });
  journal
    .command('backup')
    .description(
      'online backup of the journal (SQLite backup API, safe while the kiosk runs), then delete backups older than journal.backup.keepDays',
    )
    .option('--dir <path>', 'backup directory (default: journal.backup.dir, else <journal dir>/backups)')
    .action(async (o: { dir?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const { journal: path, journalKey: keyPath } = dataPaths(config);
      const dir = o.dir ?? backupDirOf(config, path);
      const j = openJournal(path, config.kiosk.id, { keyPath });
      try {
        const r = await backupJournal(j.db, {
          journalPath: path,
          keyPath,
          kioskId: config.kiosk.id,
          dir,
          reason: 'manual',
        });
        out(
          `backup ${r.path}: ${r.manifest.auditRows} audit rows, schema v${r.manifest.schemaVersion}, ${r.manifest.verified ? 'verified' : 'DOES NOT VERIFY'} (the journal key is not in it)`,
        );
        for (const p of r.manifest.problems) out(`  ${p}`);
        for (const d of pruneBackups(dir, config.journal.backup.keepDays)) out(`deleted old backup ${d}`);
        if (!r.manifest.verified) process.exitCode = 1;
      } finally {
        j.db.close();
      }
    });
  journal
    .command('backups')
    .description('list backups, newest first; --verify checks each one (hash, integrity, hash chain)')
    .option('--dir <path>', 'backup directory')
    .option('--verify', 'verify every backup')
    .option('--key <file>', 'journal key to verify with (default: journal.keyFile)')
    .action((o: { dir?: string; verify?: boolean; key?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const dir = o.dir ?? backupDirOf(config, dataPaths(config).journal);
      let good = 0;
      let bad = 0;
      for (const b of listBackups(dir)) {
        if (!b.manifest) {
          out(`${b.name}  BAD: unreadable: ${b.error ?? ''}`);
          bad += 1;
          continue;
        }
        let state = b.manifest.verified ? 'verified when taken' : 'did NOT verify when taken';
        if (o.verify) {
          // Each backup on its own: one that cannot be read does not stop the others being checked.
          try {
            const c = verifyBackup(b.path, o.key ?? dataPaths(config).journalKey, { kioskKeyOnly: true });
            state = c.ok ? 'ok' : `BAD: ${c.problems.join('; ')}`;
            if (c.ok) good += 1;
            else bad += 1;
          } catch (e) {
            state = `BAD: ${(e as Error).message}`;
            bad += 1;
          }
        }
        out(
          `${b.name}  ${b.manifest.reason}  schema v${b.manifest.schemaVersion}  ${b.manifest.auditRows} audit rows  ${b.manifest.withKey ? 'carries a key (earlier version)  ' : ''}${state}`,
        );
      }
      if (o.verify) out(`${good} good, ${bad} bad`);
      if (bad) process.exitCode = 1;
    });
  journal
    .command('restore <backup>')
    .description(
      "verify a backup with this kiosk's journal key (or --key), move the current journal (+ -wal) aside to <journal dir>/replaced/, and put the backup in its place",
    )
    .option(
      '--key <file>',
      'the journal key the backup was written with, when this kiosk has none (a replaced machine) or another; it becomes the kiosk key',
    )
    .option(
      '--force',
      'restore although the journal has a -wal file (kiosk running or not shut down cleanly)',
    )
    .option('--override-reason <why>', 'restore a backup of another kiosk; the reason is journaled')
    .action((backup: string, o: { force?: boolean; overrideReason?: string; key?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const { journal: journalPath, journalKey: keyPath } = dataPaths(config);
      const r = restoreJournal({
        journalPath,
        keyPath,
        ...(o.key ? { keyFile: o.key } : {}),
        backupPath: backup,
        kioskId: config.kiosk.id,
        ...(o.force ? { force: true } : {}),
        ...(o.overrideReason ? { override: { reason: o.overrideReason } } : {}),
      });
      out(`restored ${backup} (${r.manifest.createdAt}, ${r.manifest.reason}) to ${journalPath}`);
      if (r.movedAside) out(`previous journal kept in ${r.movedAside}`);
      out(
        r.problems.length
          ? `restored journal does NOT verify:\n  ${r.problems.join('\n  ')}`
          : `restored journal verifies: ${r.auditRows} audit rows`,
      );
      if (r.problems.length) process.exitCode = 1;
    });
  journal
    .command('prune')
    .description(
      'delete closed transactions older than journal.retentionDays whose day is reconciled (日計表 made, cash collected, registry outbox empty); takes a verified backup first',
    )
    .option('--dry-run', 'only show what would be pruned and what is held back')
    .option('--days <n>', 'override journal.retentionDays')
    .action(async (o: { dryRun?: boolean; days?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const days =
        o.days === undefined
          ? config.journal.retentionDays
          : z.coerce.number().int().min(1).max(3650).parse(o.days);
      const { journal: path, journalKey: keyPath } = dataPaths(config);
      const j = openJournal(path, config.kiosk.id, { keyPath });
      try {
        const r = await pruneJournal(j, {
          journalPath: path,
          keyPath,
          backupDir: backupDirOf(config, path),
          retentionDays: days,
          ...(o.dryRun ? { dryRun: true } : {}),
        });
        const held = new Map<string, number>();
        for (const h of r.held) held.set(h.reason, (held.get(h.reason) ?? 0) + 1);
        out(
          `closed before ${r.cutoff}: ${r.eligible.length} prunable, ${r.held.length} held (${[...held].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`,
        );
        out(
          o.dryRun
            ? 'dry run: nothing deleted'
            : `pruned ${r.pruned} transaction(s)${r.backup ? `; backup ${r.backup.path}` : ''}`,
        );
      } finally {
        j.db.close();
      }
    });
}
