import { InputError } from "../errors";

/**
 * Short verification codes: digits only, so they can be read out, typed on any phone, sent by SMS and keyed in on
 * an IVRS call, and so no letter is mistaken for a digit (O/0, I/1, S/5). The last digit is a Verhoeff check digit,
 * which catches every single mistyped digit and every swap of two neighbours — the two mistakes people make most.
 *
 * A certificate's code: `L · issuer id (L digits) · slot (5 digits) · document index (3 or more digits) · check`,
 * where the slot is the issuer's short-code slot of the batch (`root % CODE_SLOTS`, held by the registry for one
 * batch of that issuer only). A document of the first thousand of a batch of issuer 1–9 gets 11 digits.
 *
 * A title extract's code: `9 · V · version (V digits) · parcel number (6 or more digits) · check`, where the parcel
 * number is the parcel's place in the order the land registry created parcels (its `ParcelCreated` events). An
 * extract of version 2 of one of the first million parcels gets 10 digits.
 *
 * Codes are shown in groups of four; spaces and dashes are ignored when one is read back.
 */
export const CODE_SLOTS = 100_000;

export type ShortCode =
  | { readonly kind: "certificate"; readonly issuerOrgId: number; readonly slot: number; readonly index: number }
  | { readonly kind: "title"; readonly version: number; readonly parcelNumber: number };

const LAND_MARK = "9";
/** The registry's largest batch: no document index reaches it. */
const MAX_DOCUMENTS = 2 ** 24 - 1;

// Verhoeff's tables: the dihedral group D5's multiplication, the position permutation, and the inverses.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INVERSE = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** The Verhoeff check digit of a string of digits. */
export function verhoeffDigit(digits: string): string {
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = D[c][P[(i + 1) % 8][Number(digits[digits.length - 1 - i])]];
  return String(INVERSE[c]);
}

function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = D[c][P[i % 8][Number(digits[digits.length - 1 - i])]];
  return c === 0;
}

const padded = (value: number, width: number) => String(value).padStart(width, "0");

function checked(data: string): string {
  return data + verhoeffDigit(data);
}

/** The code of document `index` of the issuer's batch holding `slot` (see {@link CODE_SLOTS}). */
export function certificateCode(issuerOrgId: number, slot: number, index: number): string {
  const id = String(issuerOrgId);
  if (!Number.isSafeInteger(issuerOrgId) || issuerOrgId < 1 || id.length > 4) throw new RangeError(`issuer ${issuerOrgId} has no short codes (ids 1–9999)`);
  if (!Number.isInteger(slot) || slot < 0 || slot >= CODE_SLOTS) throw new RangeError(`slot ${slot} is out of range`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`index ${index} is out of range`);
  return checked(`${id.length}${id}${padded(slot, 5)}${padded(index, 3)}`);
}

/** A batch root's short-code slot, as the registry computes it. */
export function codeSlotOf(root: string): number {
  return Number(BigInt(root) % BigInt(CODE_SLOTS));
}

/** The code of a title extract of `version` of the parcel with this creation number. */
export function titleCode(parcelNumber: number, version: number): string {
  if (!Number.isSafeInteger(parcelNumber) || parcelNumber < 1) throw new RangeError(`parcel number ${parcelNumber} is out of range`);
  if (!Number.isSafeInteger(version) || version < 1 || version >= 1e9) throw new RangeError(`version ${version} is out of range`);
  const v = String(version);
  return checked(`${LAND_MARK}${v.length}${v}${padded(parcelNumber, 6)}`);
}

/** Groups of four digits, as codes are printed and read out. */
export function formatShortCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/**
 * What a code names, from the digits someone typed, read out or scanned (spaces and dashes ignored), or a sentence
 * saying what is wrong with it. A code that fails its check digit is refused: it was mistyped, and guessing which
 * digit is wrong could name somebody else's document.
 */
export function parseShortCode(text: string): ShortCode {
  const digits = text.replace(/[\s-]/g, "");
  if (!/^\d+$/.test(digits)) throw new InputError("A verification code is made of digits only.");
  if (digits.length < 10 || digits.length > 24) throw new InputError(`A verification code has 10 to 24 digits, not ${digits.length}.`);
  if (!verhoeffValid(digits)) throw new InputError("This verification code is mistyped: its last digit does not match the others. Check each digit and try again.");
  const data = digits.slice(0, -1);
  if (data[0] === LAND_MARK) {
    const width = Number(data[1]);
    const version = Number(data.slice(2, 2 + width));
    const parcel = data.slice(2 + width);
    if (width === 0 || parcel.length < 6 || parcel.length > 12 || version < 1) throw new InputError("This verification code is not one Sakshya gives.");
    return { kind: "title", version, parcelNumber: Number(parcel) };
  }
  const width = Number(data[0]);
  if (width < 1 || width > 4 || data.length < 1 + width + 5 + 3) throw new InputError("This verification code is not one Sakshya gives.");
  const issuerOrgId = Number(data.slice(1, 1 + width));
  if (issuerOrgId < 1 || String(issuerOrgId).length !== width) throw new InputError("This verification code is not one Sakshya gives.");
  const index = data.slice(6 + width);
  if (index.length > 8 || Number(index) >= MAX_DOCUMENTS) throw new InputError("This verification code is not one Sakshya gives.");
  return { kind: "certificate", issuerOrgId, slot: Number(data.slice(1 + width, 6 + width)), index: Number(index) };
}
