export { type RibChange, RibChangeStream } from './changes';
export { type Peer, type PeerOptions } from './peer';
export { AdjRibIn, AdjRibOut, type ExportPolicy, LocRib, type NextHopResolver, Rib, type RibOptions } from './rib';
