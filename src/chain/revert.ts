import { isHexString, type ErrorDescription, type Interface } from "ethers";
import { BESU_ERRORS } from "../besu/sentences";
import { CERTIFICATE_ERRORS } from "../certificates/sentences";
import { DIRECTORY_ERRORS } from "../directory/sentences";
import { RevertError } from "../errors";
import { GOVERNANCE_ERRORS } from "../governance/sentences";
import { LAND_ERRORS } from "../land/sentences";
import { WEBSITE_ERRORS } from "../websites/sentences";
import type { ErrorArgs, ErrorSentences } from "./error-sentences";
import { suiteInterface } from "./suite-abi";

/** Every domain's book of error sentences; the decoder speaks for none of them itself. */
const BOOKS: readonly ErrorSentences[] = [DIRECTORY_ERRORS, CERTIFICATE_ERRORS, GOVERNANCE_ERRORS, BESU_ERRORS, LAND_ERRORS, WEBSITE_ERRORS];

function bookOf(errorName: string): ErrorSentences | undefined {
  return BOOKS.find((book) => book.prefixes.some((prefix) => errorName.startsWith(prefix)));
}

/** The sentence of a custom error of the suite, from its domain's book. */
export function errorSentence(errorName: string): ((args: ErrorArgs) => string) | undefined {
  return bookOf(errorName)?.sentences[errorName];
}

/** One interface holding every custom error the suite's contracts (and what they inherit) can raise. */
export function suiteErrorInterface(): Interface {
  return suiteInterface("error");
}

/** Finds revert data in whatever shape ethers, Hardhat or a JSON-RPC node wrapped it. */
export function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || error === null || typeof error !== "object") return undefined;
  const record = error as Record<string, unknown>;
  const data = record.data;
  if (typeof data === "string" && isHexString(data) && data.length >= 10) return data;
  for (const key of ["data", "error", "info", "cause", "revert", "payload"]) {
    const found = findRevertData(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Each argument as its error's domain reads it, else in the directory's terms, else as plain text. */
function describeArgs(description: ErrorDescription): ErrorArgs {
  const args: ErrorArgs = {};
  const book = bookOf(description.name);
  description.fragment.inputs.forEach((input, i) => {
    const value: unknown = description.args[i];
    args[input.name] = book?.describeArg?.(input.name, input.type, value) ?? DIRECTORY_ERRORS.describeArg?.(input.name, input.type, value) ?? String(value);
  });
  return args;
}

/** Turns a failed call into a {@link RevertError} naming the custom error, or returns undefined if it was not a revert. */
export function decodeRevert(error: unknown): RevertError | undefined {
  const data = findRevertData(error);
  if (!data) return undefined;
  const description = suiteErrorInterface().parseError(data);
  if (!description) {
    return new RevertError(`The contract refused the call with unrecognised data ${data.slice(0, 74)}.`, "Unknown", {});
  }
  const args = describeArgs(description);
  const sentence = errorSentence(description.name);
  const detail = sentence
    ? sentence(args)
    : `${description.name}(${Object.entries(args).map(([k, v]) => `${k}=${v}`).join(", ")})`;
  return new RevertError(`The contract refused: ${detail} (${description.name}).`, description.name, args);
}
