export {
  type Aggregator,
  type AsPathSegment,
  type AsPathSegmentType,
  AttributeSet,
  type AttributeSetInit,
  type LargeCommunity,
  Origin,
} from './attributes';
export { AttributeFlag, AttributeSetPool, KeyField, keyStride } from './pool';
export { BgpRoute, type PathSource, type PeerType } from './route';
