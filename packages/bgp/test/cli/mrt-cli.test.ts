import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { requireExecutable, requireFile, run } from '@patronus-internal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runMrtCli } from '../../src/cli/dump';
import { mrtBytes, mrtDataDir, runCli } from '../mrt/helpers';

const packageDir = resolve(__dirname, '../..');
const bin = join(packageDir, 'dist/cli/mrt.js');
const built = requireFile(bin);
const bgpdump = requireExecutable('bgpdump');
const data = requireFile(mrtDataDir);
const temporary = mkdtempSync(join(tmpdir(), 'patronus-mrt-cli-'));
afterAll(() => {
  rmSync(temporary, { recursive: true, force: true });
});

const quaggaRib = join(mrtDataDir, 'mrtparse-samples/quagga_rib');
const damaged = join(mrtDataDir, 'ris/rrc00/2000.03/updates.20000325.0345.gz');

describe.skipIf(data.path === undefined)('patronus-mrt dump (in process)', () => {
  it('prints NDJSON with --json: one object per prefix and per state change', async () => {
    const { status, lines } = await runCli(['dump', '--json', join(mrtDataDir, 'mrtparse-samples/bird_bgp')]);
    expect(status).toBe(0);
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.filter((object) => object.kind === 'state').length).toBe(12);
    expect(objects.find((object) => object.kind === 'announce')).toMatchObject({
      type: 'BGP4MP',
      subtype: 'MESSAGE_AS4',
      peer: '192.168.0.10',
      peerAs: 65000,
      attributes: { origin: 'IGP', localPref: 100 },
    });
  });

  it('prints counts by record type with --stats', async () => {
    const { status, lines } = await runCli([
      'dump',
      '--stats',
      join(mrtDataDir, 'mrtparse-samples/openbgpd_rib_table-v2'),
    ]);
    expect(status).toBe(0);
    expect(lines).toEqual([
      `file ${join(mrtDataDir, 'mrtparse-samples/openbgpd_rib_table-v2')}`,
      'records 24',
      'TABLE_DUMP_V2/PEER_INDEX_TABLE 1',
      'TABLE_DUMP_V2/RIB_GENERIC 2',
      'TABLE_DUMP_V2/RIB_IPV4_UNICAST 11',
      'TABLE_DUMP_V2/RIB_IPV6_UNICAST 10',
      'prefixes 31',
    ]);
  });

  it('warns on stderr about damaged records and goes on', async () => {
    const { status, lines, stderr } = await runCli(['dump', damaged]);
    expect(status).toBe(0);
    expect(lines.length).toBe(5685);
    expect(stderr.trim().split('\n')).toEqual([
      `patronus-mrt: ${damaged}: warning at offset 188: damaged-record: record declares 14556 bytes but the next record starts 10 bytes after it`,
      `patronus-mrt: ${damaged}: warning at offset 4554: garbage-skipped: bytes that are not an MRT record`,
    ]);
  });

  it('exits 1 with a clear message for an unreadable file, after dumping the readable ones', async () => {
    const { status, lines, stderr } = await runCli(['dump', join(temporary, 'nope.mrt'), quaggaRib]);
    expect(status).toBe(1);
    expect(stderr).toBe(`patronus-mrt: ${join(temporary, 'nope.mrt')}: cannot read: no such file\n`);
    expect(lines.length).toBe(9);
  });

  it('exits 2 with the usage on a bad command line', async () => {
    expect((await runCli([])).status).toBe(2);
    const unknown = await runCli(['dump', '--frobnicate', quaggaRib]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option --frobnicate');
    expect((await runCli(['--help'])).lines[0]).toContain('usage: patronus-mrt dump');
  });

  it('draws a progress bar on stderr when it is a terminal and the file is large', async () => {
    const bview = join(mrtDataDir, 'ris/rrc00/2000.01/bview.20000111.0032.gz');
    const parts: string[] = [];
    const stderr = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          parts.push(chunk.toString());
          callback();
        },
      }),
      { isTTY: true },
    );
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    });
    expect(await runMrtCli(['dump', '--quiet', bview], { stdout, stderr })).toBe(0);
    expect(parts.join('')).toMatch(/\r\[#+ *\] \d+\.\d%/);
  });
});

describe.skipIf(built.path === undefined || data.path === undefined)('the built patronus-mrt executable', () => {
  it.skipIf(bgpdump.path === undefined)('runs with node and prints what bgpdump -m prints', () => {
    const result = spawnSync(process.execPath, [bin, 'dump', quaggaRib], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(run('bgpdump', ['-m', quaggaRib]));
  });

  it('runs through npx from a project that depends on @patronus/bgp', () => {
    // npm links a dependency's bin as node_modules/.bin/<name> -> ../<package>/<bin path>; do the same here.
    const project = join(temporary, 'project');
    mkdirSync(join(project, 'node_modules/@patronus'), { recursive: true });
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true,"type":"commonjs"}');
    symlinkSync(packageDir, join(project, 'node_modules/@patronus/bgp'));
    symlinkSync('../@patronus/bgp/dist/cli/mrt.js', join(project, 'node_modules/.bin/patronus-mrt'));
    const result = spawnSync('npx', ['--no-install', 'patronus-mrt', 'dump', '--stats', quaggaRib], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('TABLE_DUMP_V2/RIB_IPV4_UNICAST 3');
    expect(result.status).toBe(0);
  });

  it('reads standard input for the file name -', () => {
    const result = spawnSync(process.execPath, [bin, 'dump', '-'], {
      input: mrtBytes(quaggaRib),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').length).toBe(10);
  });

  it('ends quietly when its output pipe closes early', () => {
    const bview = join(mrtDataDir, 'ris/rrc00/2000.01/bview.20000111.0032.gz');
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" dump --quiet "${bview}" | head -3`], {
      encoding: 'utf8',
    });
    expect(result.stdout.split('\n').length).toBe(4);
    expect(result.stderr).toBe('');
  });
});
