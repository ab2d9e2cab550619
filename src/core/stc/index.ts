/**
 * Syndrome-trellis codes (Filler, Judas, Fridrich 2011): embed m message bits
 * into n cover bits changing the cheapest ones, extract them with H·y alone.
 */
export { STC_DEFAULT_HEIGHT, STC_PATH_BITS, stcExtract, stcLayout, stcParams, stcSyndrome, type StcLayout, type StcParams } from './code.ts';
export { StcEmbedder, StcInfeasibleError, stcEmbed, type StcResult } from './embed.ts';
export { generateSubmatrix, STC_MAX_HEIGHT, stcSubmatrix, submatrixSeed } from './submatrix.ts';
