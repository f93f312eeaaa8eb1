/**
 * The ULPINs seen so far and the line each was on, for finding a ULPIN listed twice in a register export. An
 * open-addressing table over typed arrays: a `Map` of a million strings cost more than a tenth of a million-parcel
 * build in hashing and garbage collection, measured.
 */
export class UlpinIndex {
  private static readonly LENGTH = 14;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly ulpins: Buffer;
  private readonly lines: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    let size = 1;
    while (size < capacity * 2) size <<= 1;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.ulpins = Buffer.alloc(UlpinIndex.LENGTH * capacity);
    this.lines = new Int32Array(capacity);
  }

  /** Records `ulpin` (14 ASCII characters) on `line`; returns the line it was first on, if it was seen before. */
  add(ulpin: string, line: number): number | undefined {
    let hash = 0x811c9dc5;
    for (let i = 0; i < UlpinIndex.LENGTH; i++) hash = Math.imul(hash ^ ulpin.charCodeAt(i), 0x01000193);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry < 0) {
        this.ulpins.write(ulpin, UlpinIndex.LENGTH * this.count, UlpinIndex.LENGTH, "latin1");
        this.lines[this.count] = line;
        this.slots[slot] = this.count++;
        return undefined;
      }
      if (this.matches(entry, ulpin)) return this.lines[entry];
    }
  }

  private matches(entry: number, ulpin: string): boolean {
    const offset = UlpinIndex.LENGTH * entry;
    for (let i = 0; i < UlpinIndex.LENGTH; i++) if (this.ulpins[offset + i] !== ulpin.charCodeAt(i)) return false;
    return true;
  }
}
