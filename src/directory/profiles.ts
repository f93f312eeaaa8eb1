import fs from "node:fs";
import path from "node:path";
import { keccak256 } from "ethers";
import { InputError } from "../errors";
import { hashJson, type JsonValue } from "../hashing/canonical-json";

/**
 * The public names of an organisation, from the metadata it was onboarded with (`org onboard --metadata`): `name`,
 * and `names` by language code (e.g. `{ "bn": "…" }`) where it gives them.
 */
export interface OrganisationProfile {
  readonly name: string;
  readonly names?: Readonly<Record<string, string>>;
}

/**
 * Organisations' metadata files, each trusted only through the directory: a profile is found by the metadata hash
 * an organisation holds on chain, so a file that was edited, or that belongs to no organisation, names nobody. A
 * file is known by both hashes an organisation may have been onboarded with: of its bytes (`org onboard
 * --metadata-file`) and of its canonical JSON.
 */
export class OrganisationProfiles {
  private constructor(private readonly byHash: ReadonlyMap<string, OrganisationProfile>) {}

  static readonly none = new OrganisationProfiles(new Map());

  /** Every `.json` file of `folder`; each must be a JSON object with a `name`. */
  static load(folder: string): OrganisationProfiles {
    let files: string[];
    try {
      files = fs.readdirSync(folder).filter((file) => file.endsWith(".json"));
    } catch {
      throw new InputError(`Cannot read the folder of organisations' metadata ${folder}.`);
    }
    const byHash = new Map<string, OrganisationProfile>();
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(folder, file));
      let json: JsonValue;
      try {
        json = JSON.parse(bytes.toString("utf8")) as JsonValue;
      } catch {
        throw new InputError(`The organisation metadata ${file} is not JSON.`);
      }
      const profile = json as { name?: unknown; names?: unknown };
      if (typeof json !== "object" || json === null || Array.isArray(json) || typeof profile.name !== "string") {
        throw new InputError(`The organisation metadata ${file} has no "name".`);
      }
      const names = profile.names !== null && typeof profile.names === "object" ? Object.fromEntries(Object.entries(profile.names).filter(([, v]) => typeof v === "string")) : undefined;
      const found = { name: profile.name, ...(names ? { names } : {}) };
      byHash.set(keccak256(bytes), found);
      byHash.set(hashJson(json), found);
    }
    return new OrganisationProfiles(byHash);
  }

  /** The profile whose hash an organisation holds on chain, if one was given. */
  of(metadataHash: string): OrganisationProfile | undefined {
    return this.byHash.get(metadataHash.toLowerCase());
  }
}
