/**
 * The body of `patronus-mrt`: dumps MRT files (RFC 6396) as `bgpdump -m` lines, NDJSON, or counts by record type.
 *
 * Usage: `patronus-mrt dump [--json | --stats] [--quiet] FILE...`
 */
import { statSync } from 'node:fs';
import { BgpError } from '../errors';
import { BgpdumpFormatter, prefixText } from '../mrt/bgpdump';
import { mrtSubtypeName, mrtTypeName } from '../mrt/constants';
import { MrtError, type MrtWarning, type MrtWarningKind } from '../mrt/errors';
import { prefixEntries } from '../mrt/flatten';
import { readMrt } from '../mrt/reader';
import type { MrtPrefixEntry, MrtRecord } from '../mrt/types';
import { formatAsPath } from '../wire/attributes';
import { formatAddress, formatIpv4 } from '../wire/address';
import type { PathAttributes } from '../wire/types';

const USAGE = `usage: patronus-mrt dump [--json | --stats] [--quiet] FILE...

  dump FILE...   print every prefix of every record, one line each, in the \`bgpdump -m\` format
                 (FILE - reads standard input)
  --json         print NDJSON instead: one object per prefix (and per state change)
  --stats        print counts of records by MRT type/subtype, prefixes, and warnings
  --quiet        do not print warnings about damaged records (they are still counted)

Input may be plain, gzip or bzip2 compressed (bzip2 needs the bzip2 program).
Exit status: 0 ok, 1 an input could not be read, 2 usage error.`;

/** Most warning lines printed per kind and file; the rest are summarised. */
const WARNING_LINES_PER_KIND = 10;

/** Streams for the CLI, so tests can run it in-process. */
export interface CliIo {
  /** Where `-` reads from (default `process.stdin`). */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Runs `patronus-mrt` with the given arguments and returns the exit status.
 *
 * @example
 * process.exitCode = await runMrtCli(['dump', 'updates.gz'], { stdout: process.stdout, stderr: process.stderr });
 */
export async function runMrtCli(args: readonly string[], io: CliIo): Promise<number> {
  const flags = new Set(args.filter((arg) => arg.startsWith('--')));
  const positional = args.filter((arg) => !arg.startsWith('--'));
  if (flags.has('--help') || positional[0] === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...flags].filter((flag) => !['--json', '--stats', '--quiet'].includes(flag));
  if (
    positional[0] !== 'dump' ||
    positional.length < 2 ||
    unknown.length > 0 ||
    (flags.has('--json') && flags.has('--stats'))
  ) {
    io.stderr.write(`${unknown.length > 0 ? `patronus-mrt: unknown option ${unknown[0]!}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const mode = flags.has('--json') ? 'json' : flags.has('--stats') ? 'stats' : 'bgpdump';
  const output = new BufferedOutput(io.stdout);
  let status = 0;
  for (const file of positional.slice(1)) {
    try {
      await dumpFile(file, mode, flags.has('--quiet'), output, io);
    } catch (error) {
      await output.flush();
      const message =
        error instanceof MrtError ? error.message : error instanceof Error ? error.message : String(error);
      io.stderr.write(`patronus-mrt: ${file}: ${message}\n`);
      status = 1;
    }
  }
  await output.flush();
  return status;
}

async function dumpFile(
  file: string,
  mode: 'json' | 'bgpdump' | 'stats',
  quiet: boolean,
  output: BufferedOutput,
  io: CliIo,
): Promise<void> {
  let size = 0;
  try {
    if (file !== '-') size = statSync(file).size;
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    throw new MrtError('ERR_BGP_MRT_UNREADABLE', `cannot read: ${code === 'ENOENT' ? 'no such file' : code}`);
  }
  const printed = new Map<MrtWarningKind, number>();
  const onWarning = (warning: MrtWarning): void => {
    if (quiet) return;
    const count = (printed.get(warning.kind) ?? 0) + 1;
    printed.set(warning.kind, count);
    if (count <= WARNING_LINES_PER_KIND) {
      progress.clear();
      io.stderr.write(
        `patronus-mrt: ${file}: warning at offset ${warning.offset}: ${warning.kind}: ${warning.message}\n`,
      );
    }
  };
  const reader = readMrt(file === '-' ? (io.stdin ?? process.stdin) : file, { onWarning });
  const progress = new ProgressBar(io.stderr, size, () => reader.sourceBytes);
  const formatter = new BgpdumpFormatter();
  const counts = new Map<string, number>();
  let prefixes = 0;
  let messageErrors = 0;
  try {
    for await (const record of reader) {
      try {
        if (mode === 'bgpdump') {
          for (const line of formatter.lines(record)) output.write(line);
        } else if (mode === 'json') {
          for (const entry of prefixEntries(record)) output.write(JSON.stringify(entryJson(record, entry)));
          if (record.kind === 'bgp4mp-state-change' || record.kind === 'bgp-state-change') {
            output.write(JSON.stringify(stateJson(record)));
          }
        } else {
          const name = `${mrtTypeName(record.type)}/${mrtSubtypeName(record.type, record.subtype)}`;
          counts.set(name, (counts.get(name) ?? 0) + 1);
          prefixes += prefixEntries(record).length;
        }
      } catch (error) {
        // A BGP message inside a readable record that does not decode (RFC 7606 session-reset class): the record
        // is reported and skipped like a damaged one.
        if (!(error instanceof BgpError)) throw error;
        onWarning({
          kind: 'malformed-record',
          offset: record.offset,
          skippedBytes: 0,
          type: record.type,
          subtype: record.subtype,
          message: error.message,
        });
        messageErrors++;
      }
      if (output.isFull) await output.flush();
      progress.tick();
    }
  } finally {
    progress.clear();
  }
  if (mode === 'stats') {
    output.write(`file ${file}`);
    output.write(`records ${reader.recordCount}`);
    for (const [name, count] of [...counts].sort()) output.write(`${name} ${count}`);
    output.write(`prefixes ${prefixes}`);
    for (const [kind, count] of reader.warningCounts) output.write(`warnings ${kind} ${count}`);
    if (messageErrors > 0) output.write(`warnings undecodable-message ${messageErrors}`);
  }
  for (const [kind, count] of printed) {
    if (count > WARNING_LINES_PER_KIND) {
      io.stderr.write(`patronus-mrt: ${file}: ${count - WARNING_LINES_PER_KIND} more ${kind} warnings\n`);
    }
  }
}

function entryJson(record: MrtRecord, entry: MrtPrefixEntry): object {
  const attributes = entry.attributes;
  return {
    type: mrtTypeName(record.type),
    subtype: mrtSubtypeName(record.type, record.subtype),
    kind: entry.kind,
    timestamp: entry.timestamp,
    ...(entry.microseconds === 0 ? {} : { microseconds: entry.microseconds }),
    peer: entry.peer.address,
    peerAs: entry.peer.asn,
    prefix: prefixText(entry.prefix, entry.prefix.afi === 2),
    ...(entry.pathId === undefined ? {} : { pathId: entry.pathId }),
    ...(attributes === undefined ? {} : { attributes: attributesJson(attributes) }),
  };
}

function attributesJson(attributes: PathAttributes): object {
  return {
    origin:
      attributes.origin === undefined
        ? undefined
        : (['IGP', 'EGP', 'INCOMPLETE'][attributes.origin] ?? attributes.origin),
    asPath: attributes.asPath === undefined ? undefined : formatAsPath(attributes.asPath),
    as4Path: attributes.as4Path === undefined ? undefined : formatAsPath(attributes.as4Path),
    nextHop: attributes.nextHop === undefined ? undefined : formatIpv4(attributes.nextHop),
    mpNextHop: attributes.mpReach === undefined ? undefined : formatAddress(attributes.mpReach.nextHop),
    localPref: attributes.localPref,
    med: attributes.multiExitDisc,
    communities: attributes.communities?.map((community) => `${community >>> 16}:${community & 0xffff}`),
    largeCommunities: attributes.largeCommunities?.map(
      (community) => `${community.globalAdministrator}:${community.localData1}:${community.localData2}`,
    ),
    atomicAggregate: attributes.atomicAggregate || undefined,
    aggregator:
      attributes.aggregator === undefined
        ? undefined
        : `${attributes.aggregator.asn} ${formatIpv4(attributes.aggregator.address)}`,
    originatorId: attributes.originatorId === undefined ? undefined : formatIpv4(attributes.originatorId),
    clusterList: attributes.clusterList?.map(formatIpv4),
  };
}

function stateJson(record: MrtRecord & { kind: 'bgp4mp-state-change' | 'bgp-state-change' }): object {
  return {
    type: mrtTypeName(record.type),
    subtype: mrtSubtypeName(record.type, record.subtype),
    kind: 'state',
    timestamp: record.timestamp,
    ...(record.microseconds === 0 ? {} : { microseconds: record.microseconds }),
    peer: record.peerAddress,
    peerAs: record.peerAs,
    oldState: record.oldState,
    newState: record.newState,
  };
}

/** Collects lines and writes them in large blocks, waiting for the stream to drain (pipes to `head` stay cheap). */
class BufferedOutput {
  private readonly stream: NodeJS.WritableStream;
  private parts: string[] = [];
  private size = 0;

  constructor(stream: NodeJS.WritableStream) {
    this.stream = stream;
  }

  get isFull(): boolean {
    return this.size >= 256 * 1024;
  }

  write(line: string): void {
    this.parts.push(line, '\n');
    this.size += line.length + 1;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        this.stream.once('drain', resolve);
      });
    }
  }
}

/** A one-line progress bar on stderr, shown only on a terminal and for inputs over 1 MiB. */
class ProgressBar {
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly total: number;
  private readonly done: () => number;
  private readonly isShown: boolean;
  private lastDraw = 0;
  private drawn = false;

  constructor(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number, done: () => number) {
    this.stream = stream;
    this.total = total;
    this.done = done;
    this.isShown = stream.isTTY === true && total > 1024 * 1024;
  }

  tick(): void {
    if (!this.isShown) return;
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const fraction = Math.min(1, this.done() / this.total);
    const width = 40;
    const filled = Math.round(fraction * width);
    this.stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}%`);
    this.drawn = true;
  }

  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
