// A small seeded PRNG (mulberry32): the demo world must be the same for the same seed, everywhere.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** A version-4-shaped UUID. */
  uuid(): string;
  /** `length` lowercase letters and digits. */
  id(length: number): string;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  // Plain loops rather than Array.from(…).join(""): the demo draws three UUIDs for each of the
  // ~90 runs it seeds before the TUI's first frame, in code that has not warmed up yet.
  const HEX = "0123456789abcdef";
  const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
  const hex = (n: number) => {
    let text = "";
    for (let i = 0; i < n; i++) text += HEX[int(0, 15)];
    return text;
  };
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
    id: (length) => {
      let text = "";
      for (let i = 0; i < length; i++) text += ALPHANUMERIC[int(0, 35)];
      return text;
    },
  };
}
