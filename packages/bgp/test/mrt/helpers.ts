import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { sharedDataDir } from '@patronus-internal/test-support';
import { runMrtCli } from '../../src/cli/dump';

/** The shared MRT test data folder. */
export const mrtDataDir: string = join(sharedDataDir, 'bgp/mrt');

/** Every MRT file under the shared data (not configs, READMEs or licences), sorted. */
export function mrtFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!/\.(conf|rst|md)$|LICENSE/.test(name)) out.push(path);
    }
  };
  walk(mrtDataDir);
  return out;
}

/** The decompressed bytes of a data file. */
export function mrtBytes(path: string): Uint8Array {
  const raw = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(raw) : raw;
}

/** Runs `patronus-mrt` in this process and returns its exit status, stdout lines and stderr text. */
export async function runCli(args: string[]): Promise<{ status: number; lines: string[]; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (parts: string[]): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        parts.push(chunk.toString());
        callback();
      },
    });
  const status = await runMrtCli(args, { stdout: sink(out), stderr: sink(err) });
  const text = out.join('');
  return { status, lines: text === '' ? [] : text.replace(/\n$/, '').split('\n'), stderr: err.join('') };
}
