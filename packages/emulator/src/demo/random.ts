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
  // The demo draws three UUIDs for each of the ~90 runs it seeds before the TUI's first frame, in
  // code that has not warmed up yet: eight hex digits per draw (next() is a 32-bit value over 2^32)
  // rather than a draw per digit.
  const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
  const hex8 = () =>
    Math.floor(next() * 4294967296)
      .toString(16)
      .padStart(8, "0");
  const uuid = () => {
    const a = hex8();
    const b = hex8();
    const c = hex8();
    // Version 4 in the third group, the RFC 9562 variant (8, 9, a or b) in the fourth.
    const variant = "89ab"[Number.parseInt(c[0]!, 16) & 3]!;
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${hex8()}`;
  };
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
    uuid,
    id: (length) => {
      let text = "";
      for (let i = 0; i < length; i++) text += ALPHANUMERIC[int(0, 35)];
      return text;
    },
  };
}
