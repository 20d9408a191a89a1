/** Real BGP messages for the fuzz targets to start from: every tcpdump capture and every ExaBGP QA vector. */
import { sharedDataDir } from '@patronus-internal/test-support';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTcpSegments } from '../test/support/pcap';

/** Messages (header included) found in the tcpdump captures, cut at header lengths, plus the raw payloads. */
export function captureMessages(): Uint8Array[] {
  const directory = join(sharedDataDir, 'bgp/tcpdump');
  if (!existsSync(directory)) return [];
  const messages: Uint8Array[] = [];
  for (const file of readdirSync(directory).filter((name) => /\.pcap(ng)?$/.test(name))) {
    for (const segment of readTcpSegments(join(directory, file))) {
      const payload = segment.payload;
      if (payload.length === 0) continue;
      let offset = 0;
      while (payload.length - offset >= 19) {
        const length = (payload[offset + 16]! << 8) | payload[offset + 17]!;
        if (length < 19) break;
        messages.push(payload.slice(offset, Math.min(payload.length, offset + length)));
        offset += length;
      }
      if (offset === 0) messages.push(payload.slice());
    }
  }
  return messages;
}

/** The raw UPDATE/OPEN/NOTIFICATION vectors of ExaBGP's QA suite. */
export function exabgpMessages(): Uint8Array[] {
  const directory = join(sharedDataDir, 'bgp/exabgp-qa/encoding');
  if (!existsSync(directory)) return [];
  const messages: Uint8Array[] = [];
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.ci'))) {
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n')) {
      const match = /^\d+:raw:(.*)$/.exec(line.trim());
      if (match !== null) messages.push(Uint8Array.from(Buffer.from(match[1]!.replaceAll(':', ''), 'hex')));
    }
  }
  return messages;
}

/** Both corpora. */
export function realMessages(): Uint8Array[] {
  return [...captureMessages(), ...exabgpMessages()];
}
