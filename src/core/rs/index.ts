/**
 * Reed-Solomon error correction over GF(2^8) (0x11d, alpha = 2, first
 * consecutive root 0: ZXing QR_CODE_FIELD_256 / Python reedsolo compatible).
 */
export { rsEncodedLength, rsMaxDataLength, rsEncodeInterleaved, rsDecodeInterleaved } from './rs-stream.ts';
export { RsDecodeFailure, RsDecoder, getRsDecoder } from './rs-decode.ts';
export { RsEncoder, getRsEncoder, rsEncodeBlock, rsGeneratorPoly } from './rs-encode.ts';
