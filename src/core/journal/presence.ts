// Notices a lost journal before anything opens it (opening would quietly create a fresh one).
// The journal key is created together with the journal's first start, so a key with no journal,
// an empty one or one cut short means the journal was lost: the kiosk must stay out of service
// until a technician restores a backup, never start over with an empty history.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

export type JournalPresence = { state: 'present' } | { state: 'new' } | { state: 'lost'; problem: string };

const MAGIC = 'SQLite format 3\0';

/** What the file header says about the database: page size and page count (0 when not recorded). */
function header(path: string): { magic: string; pageSize: number; pages: number } | null {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(100);
    if (readSync(fd, buf, 0, 100, 0) < 100) return null;
    const raw = buf.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    // The in-header size is valid only when "version-valid-for" matches the change counter.
    const pages = buf.readUInt32BE(92) === buf.readUInt32BE(24) ? buf.readUInt32BE(28) : 0;
    return { magic: buf.toString('latin1', 0, 16), pageSize, pages };
  } finally {
    closeSync(fd);
  }
}

export function journalPresence(path: string, keyPath: string): JournalPresence {
  if (path === ':memory:') return { state: 'new' };
  const keyExists = existsSync(keyPath);
  if (!existsSync(path))
    return keyExists
      ? { state: 'lost', problem: `journal ${path} is missing but its key exists` }
      : { state: 'new' };
  const size = statSync(path).size;
  if (size === 0) {
    // An empty file with no key is a journal being created; next to a key it is a lost one.
    return keyExists
      ? { state: 'lost', problem: `journal ${path} is empty but its key exists` }
      : { state: 'new' };
  }
  const h = header(path);
  if (!h || h.magic !== MAGIC)
    return { state: 'lost', problem: `journal ${path} is not an SQLite database (${size} bytes)` };
  if (h.pageSize < 512 || size % h.pageSize !== 0 || size < h.pages * h.pageSize) {
    return {
      state: 'lost',
      problem: `journal ${path} is truncated (${size} bytes, header says ${h.pages} pages of ${h.pageSize})`,
    };
  }
  return { state: 'present' };
}
