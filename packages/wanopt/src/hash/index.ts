export {
  CHUNK_ID_BYTES,
  chunkId,
  chunkIdToHex,
  defaultSha256,
  nobleSha256,
  nodeCryptoSha256,
  selectSha256,
  type Sha256Function,
  type Sha256IntoFunction,
  type Sha256Implementation,
  type Sha256Provider,
} from './sha256';
