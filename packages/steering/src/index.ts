/**
 * @packageDocumentation
 * User and group application steering: policy engine, rate limits, SLA path selection, LDAP sync, audit log.
 */
export { SteeringError } from './errors';
