/**
 * The base of every error `@patronus/rib` throws. Switch on `code` (stable across releases), not on the message.
 *
 * @example
 * try {
 *   doSomething();
 * } catch (error) {
 *   if (error instanceof RibError) console.error(error.code, error.message);
 * }
 */
export class RibError extends Error {
  /** A stable machine-readable code, `ERR_RIB_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Text that is not a valid IPv4 or IPv6 address, or a number that is not an IPv4 address (a uint32).
 *
 * @example
 * try {
 *   parseIpAddress('10.0.0.256');
 * } catch (error) {
 *   if (error instanceof InvalidAddressError) console.error(error.input, error.reason);
 * }
 */
export class InvalidAddressError extends RibError {
  /** The input as given (text, or the number's decimal form). */
  readonly input: string;
  /** What was wrong with it. */
  readonly reason: string;
  /** The field or argument the input came from (for example `nextHop`, `address`). */
  readonly field: string;

  constructor(input: string, reason: string, field = 'address', options?: ErrorOptions) {
    super('ERR_RIB_INVALID_ADDRESS', `invalid ${field} ${JSON.stringify(input)}: ${reason}`, options);
    this.input = input;
    this.reason = reason;
    this.field = field;
  }
}

/**
 * Text that is not a valid `address/length` prefix, or a prefix length out of range for its family.
 *
 * @example
 * try {
 *   Prefix.parse('10.0.0.0/33');
 * } catch (error) {
 *   if (error instanceof InvalidPrefixError) console.error(error.input, error.reason);
 * }
 */
export class InvalidPrefixError extends RibError {
  /** The input as given. */
  readonly input: string;
  /** What was wrong with it. */
  readonly reason: string;
  /** The field or argument the input came from. */
  readonly field: string;

  constructor(input: string, reason: string, field = 'prefix', options?: ErrorOptions) {
    super('ERR_RIB_INVALID_PREFIX', `invalid ${field} ${JSON.stringify(input)}: ${reason}`, options);
    this.input = input;
    this.reason = reason;
    this.field = field;
  }
}

/**
 * A path attribute value out of its range (a LOCAL_PREF above 2^32-1, an AS number that is not a uint32, a
 * community that is not a uint32, an empty AS_SET segment ...).
 *
 * @example
 * try {
 *   new BgpRoute('10.0.0.0/8', '192.0.2.1', []).withLocalPref(-1);
 * } catch (error) {
 *   if (error instanceof InvalidAttributeError) console.error(error.attribute, error.value);
 * }
 */
export class InvalidAttributeError extends RibError {
  /** The attribute (RFC name, for example `LOCAL_PREF`, `AS_PATH`, `COMMUNITIES`). */
  readonly attribute: string;
  /** The offending value, printed. */
  readonly value: string;
  /** Where inside the attribute (for example `segment 2, AS 3`), or empty. */
  readonly position: string;

  constructor(attribute: string, value: string, reason: string, position = '') {
    super(
      'ERR_RIB_INVALID_ATTRIBUTE',
      `invalid ${attribute}${position === '' ? '' : ` at ${position}`} ${value}: ${reason}`,
    );
    this.attribute = attribute;
    this.value = value;
    this.position = position;
  }
}

/**
 * A peer that the RIB does not know (never added, or already removed), or a peer added twice.
 *
 * @example
 * try {
 *   rib.removePeer(42);
 * } catch (error) {
 *   if (error instanceof PeerError) console.error(error.code, error.peerId);
 * }
 */
export class PeerError extends RibError {
  /** The peer id involved. */
  readonly peerId: number;

  constructor(
    code: 'ERR_RIB_UNKNOWN_PEER' | 'ERR_RIB_DUPLICATE_PEER' | 'ERR_RIB_INVALID_PEER',
    peerId: number,
    message: string,
  ) {
    super(code, message);
    this.peerId = peerId;
  }
}

/**
 * A table limit was reached (more than 2^31-1 paths or prefixes, more than 65535 peers): refused before allocating.
 *
 * @example
 * try {
 *   rib.addRoute(route, peer);
 * } catch (error) {
 *   if (error instanceof CapacityError) console.error(error.limit);
 * }
 */
export class CapacityError extends RibError {
  /** What ran out (`paths`, `prefixes`, `peers`, `attribute sets`). */
  readonly resource: string;
  /** The limit that was reached. */
  readonly limit: number;

  constructor(resource: string, limit: number) {
    super('ERR_RIB_CAPACITY', `too many ${resource}: the limit is ${limit}`);
    this.resource = resource;
    this.limit = limit;
  }
}
