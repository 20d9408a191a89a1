// Types for the benchmark competitor `longest-prefix-match` (it ships none): a binary trie keyed by prefix strings.
declare module 'longest-prefix-match' {
  export default class LongestPrefixMatch {
    /** Adds `prefix` (for example `192.0.2.0/24` or `2001:db8::/32`) with any payload. */
    addPrefix(prefix: string, payload: unknown): void;
    /** Payloads of the longest prefix matching `prefix` (an address as `a.b.c.d/32`), or every match when `all`. */
    getMatch(prefix: string, all?: boolean): unknown[];
  }
}
