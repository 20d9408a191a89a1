/**
 * A fuzz target: a parser entry point plus the real inputs to start mutating from. `run` must return normally or
 * throw a `BgpError` (the package's own typed errors) for any input; anything else is a finding.
 */
export interface FuzzTarget {
  /** Short name used on the command line (`--target name`) and in reports. */
  readonly name: string;
  /** Real inputs (captured messages, test vectors, records) to mutate. */
  seeds(): Uint8Array[];
  /** Feeds one input to the code under test. */
  run(input: Uint8Array): void;
}
