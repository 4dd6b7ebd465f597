/**
 * Small, seeded pseudo-random helpers for the sample dataset. Everything here is a pure function of its inputs,
 * so the same seed always yields the same numbers (no `Math.random`, no clock).
 */

/** A generator of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a 32-bit seeded PRNG, fast and good enough for synthetic data (not for cryptography).
 *
 * @example
 * const rand = mulberry32(42);
 * rand(); // always the same first number for seed 42
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a hash of a string to an unsigned 32-bit integer; used to derive independent seeds from names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Combines integers into one well-mixed unsigned 32-bit seed (a murmur3-style finaliser per step). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) that depends only on its inputs: stateless noise keyed by (seed, series, step). */
export function unitNoise(seed: number, series: number, step: number): number {
  return mulberry32(mixSeed(seed, series, step))();
}

/** An integer in [min, max] drawn from `rand`. */
export function randomInt(rand: Random, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** Lowercase hex digits drawn from `rand`, e.g. for instance ids (`i-0` + 16 hex digits). */
export function randomHex(rand: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(rand() * 16).toString(16);
  return out;
}
