/**
 * @packageDocumentation
 * AWS, Azure and GCP discovery, VPN orchestration, route sync and cost- and latency-aware cloud routing.
 */
export { CloudError } from './errors';
