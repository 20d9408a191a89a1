/**
 * @packageDocumentation
 * Anomaly detection, encrypted-traffic classification and predictive failover for networks.
 */
export { MlError } from './errors';
