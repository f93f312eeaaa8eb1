import { RLP } from "@ethereumjs/rlp";
import { getAddress, getBytes, hexlify, isAddress } from "ethers";
import { InputError } from "../errors";

/** QBFT `extraData` as Besu reads it: `RLP([vanity (32 bytes), validators, vote, round, seals])`. */
export interface QbftExtraData {
  readonly vanity: string;
  readonly validators: string[];
  /** A vote in a block header, `[recipient, add?]`; none in a genesis block. */
  readonly vote?: { readonly recipient: string; readonly add: boolean };
  readonly round: number;
  readonly seals: string[];
}

const ZERO_VANITY = new Uint8Array(32);

/**
 * The genesis `extraData` Besu expects (its documentation: "RLP([32 bytes Vanity, List<Validators>, No Vote,
 * Round=Int(0), 0 Seals])"): no vote is an empty list, round 0 the empty scalar, no seals an empty list. With
 * contract validator selection the validator list is empty, the validators living in the contract's storage.
 */
export function encodeQbftGenesisExtraData(validators: readonly string[], vanity: Uint8Array = ZERO_VANITY): string {
  if (vanity.length !== 32) throw new InputError(`The extraData vanity is ${vanity.length} bytes; it must be 32.`);
  for (const v of validators) if (!isAddress(v)) throw new InputError(`"${v}" is not a validator address.`);
  return hexlify(RLP.encode([vanity, validators.map((v) => getBytes(v)), [], new Uint8Array(0), []]));
}

/** Reads `extraData` back, refusing anything that is not the five-field QBFT form. */
export function decodeQbftExtraData(extraData: string): QbftExtraData {
  let decoded: unknown;
  try {
    decoded = RLP.decode(getBytes(extraData));
  } catch {
    throw new InputError("The extraData is not valid RLP.");
  }
  if (!Array.isArray(decoded) || decoded.length !== 5) throw new InputError("The extraData is not a QBFT extraData: it is not a list of five fields.");
  const [vanity, validators, vote, round, seals] = decoded as unknown[];
  const bytes = (value: unknown, what: string, length?: number): Uint8Array => {
    if (!(value instanceof Uint8Array) || (length !== undefined && value.length !== length)) throw new InputError(`The extraData's ${what} is malformed.`);
    return value;
  };
  const list = (value: unknown, what: string): unknown[] => {
    if (!Array.isArray(value)) throw new InputError(`The extraData's ${what} is not a list.`);
    return value;
  };
  const voteFields = list(vote, "vote");
  if (voteFields.length !== 0 && voteFields.length !== 2) throw new InputError("The extraData's vote is malformed.");
  const roundBytes = bytes(round, "round");
  if (roundBytes.length > 4) throw new InputError("The extraData's round is malformed.");
  return {
    vanity: hexlify(bytes(vanity, "vanity", 32)),
    validators: list(validators, "validator list").map((v) => getAddress(hexlify(bytes(v, "validator address", 20)))),
    ...(voteFields.length === 2
      ? { vote: { recipient: getAddress(hexlify(bytes(voteFields[0], "vote recipient", 20))), add: bytes(voteFields[1], "vote type")[0] === 0xff } }
      : {}),
    round: roundBytes.reduce((n, b) => n * 256 + b, 0),
    seals: list(seals, "seal list").map((s) => hexlify(bytes(s, "seal", 65))),
  };
}
