/** Seeded randomness (mulberry32) for the demo data: same seed, same data, on every machine. */


export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let u = this.next() * items.reduce((s, [, w]) => s + w, 0);
    for (const [item, w] of items) if ((u -= w) < 0) return item;
    return (items[items.length - 1] as readonly [T, number])[0];
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
  /** A skewed count around `median`, as tolls are: mostly small, now and then very large. */
  heavy(median: number, sigma: number, cap: number): number {
    return Math.min(cap, Math.round(median * Math.exp(sigma * this.normal())));
  }
}

/** Independent streams per purpose, so changing one part of the generator does not reshuffle the rest. */
export function subSeed(seed: number, salt: number): number {
  let h = Math.imul((seed >>> 0) ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
