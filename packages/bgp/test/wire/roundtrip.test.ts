import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  type BgpMessage,
  decodeMessage,
  decodePathAttributes,
  encodeMessage,
  encodePathAttributes,
  type PathAttributes,
  type SessionContext,
} from '../../src/index';
import {
  keepaliveMessageArbitrary,
  notificationMessageArbitrary,
  openMessageArbitrary,
  pathAttributesArbitrary,
  routeRefreshMessageArbitrary,
  sessionContextArbitrary,
  updateMessageArbitrary,
} from '@patronus/bgp/testing';

/** Decoded attributes remember their wire layout; values built in code do not. Compare without it. */
function withoutLayout(attributes: PathAttributes): PathAttributes {
  return { ...attributes, layout: undefined };
}

function normalise(message: BgpMessage): unknown {
  return message.type === 2 ? { ...message, attributes: withoutLayout(message.attributes) } : message;
}

function expectRoundTrip(message: BgpMessage, context: SessionContext): void {
  const bytes = encodeMessage(message, context);
  const decoded = decodeMessage(bytes, context);
  expect(normalise(decoded)).toEqual(normalise(message));
  // And the decoded value re-encodes to exactly the same bytes.
  expect(encodeMessage(decoded, context)).toEqual(bytes);
}

const withContext = sessionContextArbitrary().chain((context) =>
  fc.tuple(fc.constant(context), updateMessageArbitrary(context)),
);

describe('round trips: decode(encode(x)) equals x for every message type', () => {
  test.prop([openMessageArbitrary()])('OPEN, classic and RFC 9072 extended optional parameters', (open) => {
    expectRoundTrip(open, { fourOctetAsn: true, addPath: new Set(), extendedMessage: false });
  });

  test.prop([withContext], { numRuns: 300 })(
    'UPDATE under any negotiated context (2/4-octet ASNs, ADD-PATH families)',
    ([context, update]) => {
      expectRoundTrip(update, context);
    },
  );

  test.prop([notificationMessageArbitrary()])('NOTIFICATION with RFC 9003, RFC 8538 and RFC 4486 data', (message) => {
    expectRoundTrip(message, { fourOctetAsn: true, addPath: new Set(), extendedMessage: false });
  });

  test.prop([keepaliveMessageArbitrary()])('KEEPALIVE', (message) => {
    expectRoundTrip(message, { fourOctetAsn: true, addPath: new Set(), extendedMessage: false });
  });

  test.prop([routeRefreshMessageArbitrary()])('ROUTE-REFRESH with RFC 7313 subtypes', (message) => {
    expectRoundTrip(message, { fourOctetAsn: true, addPath: new Set(), extendedMessage: false });
  });

  test.prop([
    sessionContextArbitrary().chain((context) => fc.tuple(fc.constant(context), pathAttributesArbitrary(context))),
  ])('path attributes alone (decodePathAttributes / encodePathAttributes)', ([context, attributes]) => {
    const bytes = encodePathAttributes(attributes, context);
    const decoded = decodePathAttributes(bytes, context);
    expect(withoutLayout(decoded)).toEqual(withoutLayout(attributes));
    expect(decoded.errors).toEqual([]);
    expect(encodePathAttributes(decoded, context)).toEqual(bytes);
  });
});
