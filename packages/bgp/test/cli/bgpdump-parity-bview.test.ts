import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireExecutable, requireFile, run } from '@patronus-internal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { mrtBytes, mrtDataDir, runCli } from '../mrt/helpers';

const bgpdump = requireExecutable('bgpdump');
const file = join(mrtDataDir, 'ris/rrc00/2000.01/bview.20000111.0032.gz');
const data = requireFile(file);
const temporary = mkdtempSync(join(tmpdir(), 'patronus-mrt-bview-'));
afterAll(() => {
  rmSync(temporary, { recursive: true, force: true });
});

/**
 * Rewrites the early RIPE RIS TABLE_DUMP file as RFC 6396 section 4.2 says it should be: one route per record, each
 * record's length covering its body. Written here from the record layout alone (independently of the reader): a
 * record's real end is 4 bytes past its declared end when a TABLE_DUMP header does not start at the declared end.
 */
function oneRoutePerRecord(bytes: Uint8Array): { file: Uint8Array; routes: number; shortRecords: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let routes = 0;
  let shortRecords = 0;
  let position = 0;
  while (position + 12 <= bytes.length) {
    let end = position + 12 + view.getUint32(position + 8);
    const isHeaderAt = (at: number): boolean => at + 12 <= bytes.length && view.getUint16(at + 4) === 12;
    if (end !== bytes.length && !isHeaderAt(end) && (end + 4 === bytes.length || isHeaderAt(end + 4))) {
      end += 4;
      shortRecords++;
    }
    const viewAndSequence = bytes.subarray(position + 12, position + 16);
    let route = position + 16;
    while (route < end) {
      const size = 4 + 1 + 1 + 4 + 4 + 2 + 2 + view.getUint16(route + 16);
      const header = new Uint8Array(12);
      header.set(bytes.subarray(position, position + 8));
      new DataView(header.buffer).setUint32(8, 4 + size);
      parts.push(header, viewAndSequence, bytes.subarray(route, route + size));
      routes++;
      route += size;
    }
    position = end;
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return { file: out, routes, shortRecords };
}

let theirDump: Promise<{ lines: string[]; routes: number; shortRecords: number }> | undefined;
/**
 * bgpdump's dump of the routes rewritten one per record, started once and run in a child process while our dump runs
 * in this one (the machine has two cores).
 */
function bgpdumpOnce(): Promise<{ lines: string[]; routes: number; shortRecords: number }> {
  theirDump ??= (async () => {
    const { file: rewritten, routes, shortRecords } = oneRoutePerRecord(mrtBytes(file));
    const path = join(temporary, 'bview.one-route-per-record.mrt');
    writeFileSync(path, rewritten);
    const { stdout } = await promisify(execFile)('bgpdump', ['-m', path], {
      maxBuffer: 1024 * 1024 * 1024,
      timeout: 120_000,
    });
    return { lines: stdout.replace(/\n$/, '').split('\n'), routes, shortRecords };
  })();
  return theirDump;
}

let ourDump: ReturnType<typeof runCli> | undefined;
/** Our dump of the original file, made once for both tests. */
function dumpOnce(): ReturnType<typeof runCli> {
  ourDump ??= runCli(['dump', file]);
  return ourDump;
}

describe.skipIf(bgpdump.path === undefined || data.path === undefined)(
  'patronus-mrt dump on the 2000 RIS bview',
  () => {
    it('reads every route of the multi-route TABLE_DUMP records that under-declare their length; bgpdump prints only the first', async () => {
      bgpdumpOnce().catch(() => undefined);
      const ours = await dumpOnce();
      expect(ours.status).toBe(0);
      expect(ours.lines.length).toBe(452_018);
      expect(ours.stderr).toContain('warning at offset 0: length-corrected');
      expect(ours.stderr).toContain('2480 more length-corrected warnings');
      // bgpdump loses its way after the first record of the original file.
      expect(run('bgpdump', ['-m', file]).trim().split('\n')).toEqual([ours.lines[0]]);
    });

    it('prints the same lines as bgpdump -m does for the same routes written one per record', async () => {
      const { lines: theirs, routes, shortRecords } = await bgpdumpOnce();
      expect(routes).toBe(452_018);
      expect(shortRecords).toBe(2490);
      const ours = await dumpOnce();
      expect(ours.lines.length).toBe(theirs.length);
      let firstDifference = -1;
      for (let index = 0; index < theirs.length && firstDifference < 0; index++) {
        if (ours.lines[index] !== theirs[index]) firstDifference = index;
      }
      expect(
        firstDifference === -1 ? undefined : [ours.lines[firstDifference], theirs[firstDifference]],
      ).toBeUndefined();
    });
  },
);
