/** Fuzz target: MRT streams (windows of real records, some with lying length fields) through the MRT reader. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedDataDir } from '@patronus-internal/test-support';
import { BgpdumpFormatter } from '../src/mrt/bgpdump';
import { prefixEntries } from '../src/mrt/flatten';
import { decodeMrt } from '../src/mrt/reader';
import type { FuzzTarget } from './target';

const windowRecords = 4;
const windowsPerFile = 24;

function mrtFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const out: string[] = [];
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) out.push(...mrtFiles(path));
    else if (!/\.(conf|rst|md)$|LICENSE/.test(name)) out.push(path);
  }
  return out;
}

/**
 * Windows of a few consecutive real records from every MRT file of the shared data (spread over each file), and
 * for each window copies whose first record's Length field lies: 0, one short, 4 short, 4 long, huge.
 */
function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const file of mrtFiles(join(sharedDataDir, 'bgp/mrt'))) {
    const raw = readFileSync(file);
    const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const starts: number[] = [];
    for (let offset = 0; offset + 12 <= bytes.length && starts.length < 200_000;) {
      starts.push(offset);
      const next = offset + 12 + view.getUint32(offset + 8);
      if (next <= offset || next > bytes.length) break;
      offset = next;
    }
    const step = Math.max(1, Math.floor(starts.length / windowsPerFile));
    for (let index = 0; index < starts.length; index += step) {
      const start = starts[index]!;
      const end = starts[index + windowRecords] ?? bytes.length;
      const window = Uint8Array.from(bytes.subarray(start, Math.min(end, start + 64 * 1024)));
      out.push(window);
      const declared = new DataView(window.buffer).getUint32(8);
      for (const lie of [0, declared - 1, declared - 4, declared + 4, 0x7fffffff, 0xffffffff]) {
        const lied = window.slice();
        new DataView(lied.buffer).setUint32(8, lie >>> 0);
        out.push(lied);
      }
    }
  }
  return out;
}

const formatter = new BgpdumpFormatter();

/** Decodes the input as a whole MRT stream, then formats every record as bgpdump lines and per-prefix entries. */
export const target: FuzzTarget = {
  name: 'mrt',
  seeds,
  run(input: Uint8Array): void {
    const { records } = decodeMrt(input, { maxRecordLength: 1 << 20, resyncWindow: 1 << 16 });
    for (const record of records) {
      formatter.lines(record);
      prefixEntries(record);
    }
  },
};
