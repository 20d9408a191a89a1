/**
 * The base of every error `@patronus/bgp` throws. Switch on `code` (stable across releases), not on the message.
 *
 * @example
 * try {
 *   doSomething();
 * } catch (error) {
 *   if (error instanceof BgpError) console.error(error.code, error.message);
 * }
 */
export class BgpError extends Error {
  /** A stable machine-readable code, `ERR_BGP_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * What a BGP speaker must do about a malformed message, per RFC 7606 section 2 (strongest first):
 * - `session-reset`: send the NOTIFICATION and close the session (RFC 4271 section 6).
 * - `afi-safi-disable`: disable the AFI/SAFI the malformed MP_REACH/MP_UNREACH carried (RFC 4760 section 7).
 * - `treat-as-withdraw`: treat every prefix of the UPDATE as withdrawn (RFC 7606 section 2).
 * - `attribute-discard`: drop the malformed attribute and process the rest (RFC 7606 section 2).
 * - `none`: nothing to do beyond noting it (for example trailing bits beyond a prefix length, RFC 4271 section 4.3).
 */
export type ErrorAction = 'session-reset' | 'afi-safi-disable' | 'treat-as-withdraw' | 'attribute-discard' | 'none';

/** The strength order of {@link ErrorAction}s used by RFC 7606 section 3 (h): the strongest action wins. */
export const errorActionStrength: Readonly<Record<ErrorAction, number>> = {
  none: 0,
  'attribute-discard': 1,
  'treat-as-withdraw': 2,
  'afi-safi-disable': 3,
  'session-reset': 4,
};

/** The fields of a {@link BgpDecodeError}. */
export interface BgpDecodeErrorDetails {
  /** RFC 7606 action the receiver must take. */
  readonly action: ErrorAction;
  /** NOTIFICATION Error Code a speaker would send (RFC 4271 section 4.5), 0 when none applies. */
  readonly notificationCode: number;
  /** NOTIFICATION Error Subcode a speaker would send, 0 when unspecific. */
  readonly notificationSubcode: number;
  /** NOTIFICATION Data a speaker would send (RFC 4271 section 6), empty when the subcode defines none. */
  readonly notificationData?: Uint8Array;
  /** Byte offset of the problem, counted from the start of the decoded buffer (the message or attribute block). */
  readonly offset: number;
  /** The field at fault, in RFC terms (`AS_PATH`, `Total Path Attribute Length`, ...). */
  readonly field: string;
  /** The path attribute type code concerned, when the problem lies in one attribute. */
  readonly attributeType?: number;
  /** AFI concerned for `afi-safi-disable`. */
  readonly afi?: number;
  /** SAFI concerned for `afi-safi-disable`. */
  readonly safi?: number;
}

/**
 * A malformed BGP message or field: carries the RFC 7606 action and the NOTIFICATION a speaker would send.
 * Thrown for `session-reset` cases; non-fatal ones are returned in the decoded UPDATE's `errors` list.
 *
 * @example
 * try {
 *   decodeMessage(bytes, defaultSessionContext);
 * } catch (error) {
 *   if (error instanceof BgpDecodeError) sendNotification(error.notificationCode, error.notificationSubcode, error.notificationData);
 * }
 */
export class BgpDecodeError extends BgpError {
  /** RFC 7606 action the receiver must take. */
  readonly action: ErrorAction;
  /** NOTIFICATION Error Code a speaker would send. */
  readonly notificationCode: number;
  /** NOTIFICATION Error Subcode a speaker would send. */
  readonly notificationSubcode: number;
  /** NOTIFICATION Data a speaker would send. */
  readonly notificationData: Uint8Array;
  /** Byte offset of the problem within the decoded buffer. */
  readonly offset: number;
  /** The field at fault, in RFC terms. */
  readonly field: string;
  /** The path attribute type code concerned, or -1. */
  readonly attributeType: number;
  /** AFI concerned (for `afi-safi-disable`), or 0. */
  readonly afi: number;
  /** SAFI concerned (for `afi-safi-disable`), or 0. */
  readonly safi: number;

  constructor(code: string, message: string, details: BgpDecodeErrorDetails) {
    super(code, `${message} (${details.field} at offset ${details.offset}, ${details.action})`);
    this.action = details.action;
    this.notificationCode = details.notificationCode;
    this.notificationSubcode = details.notificationSubcode;
    this.notificationData = details.notificationData ?? new Uint8Array(0);
    this.offset = details.offset;
    this.field = details.field;
    this.attributeType = details.attributeType ?? -1;
    this.afi = details.afi ?? 0;
    this.safi = details.safi ?? 0;
  }
}

/** A byte stream that is not a sequence of BGP messages (bad marker or length); names the stream offset. */
export class BgpFramingError extends BgpDecodeError {
  /** Offset of the bad message header in the whole stream, in bytes since the framer was created. */
  readonly streamOffset: number;

  constructor(message: string, streamOffset: number, notificationSubcode: number, notificationData?: Uint8Array) {
    super('ERR_BGP_FRAMING', `${message} at stream offset ${streamOffset}`, {
      action: 'session-reset',
      notificationCode: 1,
      notificationSubcode,
      ...(notificationData === undefined ? {} : { notificationData }),
      offset: streamOffset,
      field: 'Message Header',
    });
    this.streamOffset = streamOffset;
  }
}

/** A value that cannot be encoded (out of range, too long for the negotiated message size, inconsistent). */
export class BgpEncodeError extends BgpError {
  /** The field that could not be encoded. */
  readonly field: string;

  constructor(field: string, message: string) {
    super('ERR_BGP_ENCODE', `${field}: ${message}`);
    this.field = field;
  }
}
