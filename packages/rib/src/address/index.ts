export {
  type AddressFamily,
  IpAddress,
  compareWords,
  formatIpv4,
  formatIpv6,
  ipv4Mask,
  ipv6MaskWord,
  isUint32,
  parseIpv4,
  parseIpv6Words,
} from './ip';
export { Prefix, rangeToPrefixes } from './prefix';
