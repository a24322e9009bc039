/**
 * `vgw run --pcap DIR`: the capture files on disk, written while the run goes on.
 *
 * Owns the directory and its files: DIR/LINK.pcap for every link that carries a packet
 * (opened at its first packet and written by sim/'s PcapStreamSink in 64 KiB chunks, so
 * memory stays flat however long the run), and at the end DIR/esp_sa, Wireshark's ESP SA
 * table, and Wireshark's IKE decryption tables DIR/ikev2_decryption_table and
 * DIR/ikev1_decryption_table when the run has IKE SAs of that version (no file otherwise).
 * Before the run, `prepare` checks what it can know without writing a capture: DIR exists
 * or can be made (with its missing parents) and takes new files (write and search
 * permission); no capture file or IKE table a run of the scenario may write is a directory
 * (a symbolic link to one included) or an existing file it may not write; every file name fits
 * NAME_MAX and every path PATH_MAX; DIR/esp_sa opens for writing (and is emptied). Refused
 * then with one line (a UsageError, exit code 2). Not checked, since only writing shows
 * it: the space left on the disk, a special file that opens but takes no bytes (/dev/full),
 * a FIFO (opening one waits for its reader, as it does for any tool), the directory a
 * dangling symbolic link points into. A write that fails during the run (a full disk)
 * stops it with an OutputError (exit code 74); one that fails after it (`finish`: the last
 * chunks, esp_sa, an IKE table) is returned as an OutputError that says the run finished and
 * names the files left incomplete.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IKEV1_DECRYPTION_TABLE, IKEV2_DECRYPTION_TABLE, PcapStreamSink, captureFileName } from '../sim/index.js';
import type { CaptureSink, Captures } from '../sim/index.js';
import { OutputError, UsageError } from './command.js';

/** The most bytes in one file name on the file systems we run on (NAME_MAX). */
const NAME_MAX = 255;
/** The most bytes in a path, with its terminating NUL (Linux's PATH_MAX). */
const PATH_MAX = 4096;
const ESP_SA = 'esp_sa';
/** The IKE tables, written after esp_sa when not empty. */
const IKE_TABLES = [IKEV2_DECRYPTION_TABLE, IKEV1_DECRYPTION_TABLE] as const;

/** An errno error in words, without the system call and path Node appends. */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is a file, not a directory', ENAMETOOLONG: 'file name too long',
    ENOENT: 'no such file or directory', EIO: 'input/output error', EFBIG: 'file too large', EMFILE: 'too many open files',
  };
  const w = err.code !== undefined && Object.hasOwn(words, err.code) ? words[err.code] : undefined;
  return w ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Make `dir` and its missing parents, one level at a time (not mkdirSync's recursive
 * option: on Node 20 it loops for ever when the kernel answers ENOENT for a directory
 * whose parent exists, as /proc does). Throws the first failure with the path it hit.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    try {
      if (!statSync(p).isDirectory()) throw new UsageError(`${p} is a file, not a directory`);
      break;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new UsageError(`${p}: ${reason(e)}`);
      missing.push(p);
      const up = dirname(p);
      if (up === p) break;
      p = up;
    }
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      // ENOENT for a directory whose parent exists: a file system that holds no new directories (/proc).
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file system there does not allow new directories' : reason(e);
      throw new UsageError(`cannot create ${m}: ${why}`);
    }
  }
}

/** Write all of `bytes` to `fd` (a write may take fewer bytes than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  let o = 0;
  while (o < bytes.length) o += writeSync(fd, bytes, o, bytes.length - o);
}

/** Write `text` to the file `path` (made or emptied), closing it whatever happens. */
function writeFileAll(path: string, text: string): void {
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, Buffer.from(text));
  } finally {
    closeQuietly(fd);
  }
}

/** The capture files of one run; see the module comment. */
export class CaptureFiles implements CaptureSink {
  /** The open capture files, by link. */
  private readonly fds = new Map<string, number>();
  private readonly streams = new PcapStreamSink((link) => this.openLink(link));
  private espSaFd: number;

  private constructor(readonly dir: string, espSaFd: number) {
    this.espSaFd = espSaFd;
  }

  /**
   * Make `dir` and check that every file a run may write there (`links`: sim's
   * captureLinks) can be written, before the run; DIR/esp_sa is opened now. Throws a
   * UsageError, one line naming what is wrong, when not.
   */
  static prepare(dir: string, links: readonly string[]): CaptureFiles {
    const refuse = (why: string): never => {
      throw new UsageError(`vgw run: cannot write captures to ${dir}: ${why}`);
    };
    if (dir === '') refuse('--pcap needs a directory');
    try {
      makeDirs(dir);
    } catch (e) {
      refuse(e instanceof UsageError ? e.message : reason(e));
    }
    // New files are made in DIR: it must take them, whatever files it holds already.
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
    } catch (e) {
      refuse(reason(e));
    }
    const files = [
      ...links.map((link) => ({ file: captureFileName(link), what: `the capture of ${link.slice(0, 40)}${link.length > 40 ? '…' : ''}` })),
      ...IKE_TABLES.map((table) => ({ file: table, what: table })),
    ];
    for (const { file, what } of files) {
      const bytes = Buffer.byteLength(file);
      if (bytes > NAME_MAX) refuse(`${what} would be a file name of ${bytes} bytes (at most ${NAME_MAX}); use a shorter name`);
      const path = join(dir, file);
      const full = Buffer.byteLength(resolve(path));
      if (full >= PATH_MAX) refuse(`${what} would be a path of ${full} bytes (at most ${PATH_MAX - 1}); use a shorter directory`);
      // Followed through symbolic links: a link to a directory is a directory to open().
      let found: Stats | undefined;
      try {
        found = statSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') refuse(`${path}: ${reason(e)}`);
      }
      if (found?.isDirectory()) refuse(`${path} is a directory`);
      if (found) {
        try {
          accessSync(path, constants.W_OK);
        } catch (e) {
          refuse(`${path}: ${reason(e)}`);
        }
      }
    }
    let fd = -1;
    try {
      fd = openSync(join(dir, ESP_SA), 'w');
    } catch (e) {
      refuse(`${join(dir, ESP_SA)}: ${reason(e)}`);
    }
    return new CaptureFiles(dir, fd);
  }

  packet(link: string, time: number, bytes: Uint8Array): void {
    this.streams.packet(link, time, bytes);
  }

  /** Open DIR/LINK.pcap at the link's first packet; returns its writer. */
  private openLink(link: string): (bytes: Uint8Array) => void {
    const path = join(this.dir, captureFileName(link));
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (e) {
      throw this.failed(path, e);
    }
    this.fds.set(link, fd);
    return (b) => {
      try {
        writeAll(fd, b);
      } catch (e) {
        throw this.failed(path, e);
      }
    };
  }

  /** A write that failed during the run: the run stops there (the error reaches runScenario's caller). */
  private failed(path: string, e: unknown): OutputError {
    return new OutputError(`vgw run: cannot write captures: ${path}: ${reason(e)}; the run was stopped and the files in ${this.dir} are incomplete`, { cause: e });
  }

  /**
   * After the run: write what is still gathered, the `espSa` table to DIR/esp_sa and each
   * IKE table that is not empty to its file, and close every file. Every file is tried,
   * whatever fails. Returns the files written whole (the captures in link-name order, then
   * esp_sa, ikev2_decryption_table, ikev1_decryption_table) and, when some could not be, an
   * OutputError that names them and says the run finished.
   */
  finish(tables: Pick<Captures, 'espSa' | 'ikev2Table' | 'ikev1Table'>): { files: string[]; error?: OutputError } {
    const files: string[] = [];
    const failures: string[] = [];
    const paths: string[] = [];
    const attempt = (file: string, write: () => void): void => {
      try {
        write();
        files.push(file);
      } catch (e) {
        // The writers wrap their errno in the run's OutputError: its cause is what to name.
        const path = join(this.dir, file);
        failures.push(`${path}: ${reason(e instanceof OutputError && e.cause !== undefined ? e.cause : e)}`);
        paths.push(path);
      }
    };
    try {
      for (const l of this.streams.links()) attempt(captureFileName(l), () => this.streams.flush(l));
      attempt(ESP_SA, () => writeAll(this.espSaFd, Buffer.from(tables.espSa)));
      const ike = { [IKEV2_DECRYPTION_TABLE]: tables.ikev2Table, [IKEV1_DECRYPTION_TABLE]: tables.ikev1Table };
      for (const table of IKE_TABLES) if (ike[table] !== '') attempt(table, () => writeFileAll(join(this.dir, table), ike[table]));
    } finally {
      this.close();
    }
    if (failures.length === 0) return { files };
    const what = paths.length === 1 ? `${paths[0]} is incomplete` : `these ${paths.length} files are incomplete`;
    const named = failures.length > 3 ? [...failures.slice(0, 3), `and ${failures.length - 3} more`] : failures;
    return { files, error: new OutputError(`vgw run: cannot write captures: ${named.join('; ')}; the run finished, but ${what}`) };
  }

  /** Close every file, writing nothing more (after a run that failed). */
  close(): void {
    for (const fd of this.fds.values()) closeQuietly(fd);
    this.fds.clear();
    if (this.espSaFd >= 0) closeQuietly(this.espSaFd);
    this.espSaFd = -1;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing more to lose: the run has already ended or failed.
  }
}
