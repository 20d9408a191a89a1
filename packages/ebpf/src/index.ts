/**
 * @packageDocumentation
 * Prebuilt XDP and TC programs and a libbpf-based loader for Node with typed maps.
 */
export { EbpfError } from './errors';
