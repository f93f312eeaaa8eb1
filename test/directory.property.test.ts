import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { CAP, KIND, code, deployedSuite, evidence } from "./fixtures";

type Status = "active" | "suspended" | "offboarded";
interface Model {
  orgs: { status: Status; caps: number; jurisdictions: number[] }[];
  accounts: { org: number; active: boolean; compromised: boolean }[];
}

const CAPS = [0, CAP.issueCertificates, CAP.liens, CAP.issueCertificates | CAP.liens];
const JURISDICTION_SETS = [[0], [5], [5, 6], []];

const action = fc.oneof(
  fc.record({ kind: fc.constant("suspend" as const), org: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("reinstate" as const), org: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("offboard" as const), org: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("update" as const), org: fc.integer({ min: 0, max: 1 }), caps: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("jurisdictions" as const), org: fc.integer({ min: 0, max: 1 }), set: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("add" as const), org: fc.integer({ min: 0, max: 1 }), account: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("remove" as const), account: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("compromise" as const), account: fc.integer({ min: 0, max: 2 }) }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** What the directory should do: returns false where the action must be refused, and applies it otherwise. */
function applyToModel(model: Model, a: Action): boolean {
  if (a.kind === "suspend" || a.kind === "reinstate" || a.kind === "offboard") {
    const org = model.orgs[a.org];
    const from: Status[] = a.kind === "suspend" ? ["active"] : a.kind === "reinstate" ? ["suspended"] : ["active", "suspended"];
    if (!from.includes(org.status)) return false;
    org.status = a.kind === "suspend" ? "suspended" : a.kind === "reinstate" ? "active" : "offboarded";
    return true;
  }
  if (a.kind === "update" || a.kind === "jurisdictions") {
    const org = model.orgs[a.org];
    if (org.status === "offboarded") return false;
    if (a.kind === "update") org.caps = CAPS[a.caps];
    else org.jurisdictions = JURISDICTION_SETS[a.set];
    return true;
  }
  const account = model.accounts[a.account];
  if (a.kind === "add") {
    if (model.orgs[a.org].status === "offboarded" || account.compromised) return false;
    if (account.org !== -1 && account.org !== a.org) return false;
    if (account.active) return false;
    Object.assign(account, { org: a.org, active: true });
    return true;
  }
  if (a.kind === "remove") {
    if (account.org === -1 || !account.active) return false;
    account.active = false;
    return true;
  }
  if (account.org === -1 || account.compromised) return false;
  Object.assign(account, { active: false, compromised: true });
  return true;
}

function modelAuthorizes(model: Model, account: number, capability: number, jurisdiction: number): boolean {
  const a = model.accounts[account];
  if (a.org === -1 || !a.active || a.compromised) return false;
  const org = model.orgs[a.org];
  if (org.status !== "active" || (org.caps & capability) !== capability) return false;
  return jurisdiction === 0 || org.jurisdictions.includes(0) || org.jurisdictions.includes(jurisdiction);
}

describe("ParticipantDirectory properties", function () {
  this.timeout(600_000);

  it("authorises an account exactly when its key, organisation, capabilities and jurisdiction allow it", async () => {
    const suite = await loadFixture(deployedSuite);
    // Each run starts from the freshly deployed suite; a snapshot is used up by reverting to it, so take it again.
    let snapshot: string = await hre.network.provider.send("evm_snapshot");
    const accounts = suite.others.slice(0, 3).map((s) => s.address);
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
        await hre.network.provider.send("evm_revert", [snapshot]);
        snapshot = await hre.network.provider.send("evm_snapshot");
        const { directory, governor } = suite;
        await directory.onboard(code("a"), KIND.university, CAP.issueCertificates, [0], evidence("a"));
        await directory.onboard(code("b"), KIND.bank, CAP.liens, [5], evidence("b"));
        const model: Model = {
          orgs: [
            { status: "active", caps: CAP.issueCertificates, jurisdictions: [0] },
            { status: "active", caps: CAP.liens, jurisdictions: [5] },
          ],
          accounts: accounts.map(() => ({ org: -1, active: false, compromised: false })),
        };
        for (const a of actions) {
          const expected = applyToModel(model, a);
          const send = () => {
            switch (a.kind) {
              case "suspend": return directory.suspend(a.org + 1, evidence("s"));
              case "reinstate": return directory.reinstate(a.org + 1, evidence("r"));
              case "offboard": return directory.connect(governor).offboard(a.org + 1, evidence("o"));
              case "update": return directory.updateOrganisation(a.org + 1, CAPS[a.caps], evidence("u"));
              case "jurisdictions": return directory.setJurisdictions(a.org + 1, JURISDICTION_SETS[a.set]);
              case "add": return directory.addAccount(a.org + 1, accounts[a.account]);
              case "remove": return directory.removeAccount(accounts[a.account]);
              case "compromise": return time.latest().then((now) => directory.markAccountCompromised(accounts[a.account], now));
            }
          };
          const succeeded = await send().then(() => true, () => false);
          expect(succeeded, `${JSON.stringify(a)} after ${JSON.stringify(model)}`).to.equal(expected);
        }
        for (const [i, account] of accounts.entries()) {
          for (const capability of [CAP.issueCertificates, CAP.liens]) {
            for (const jurisdiction of [0, 5, 7]) {
              const actual = await directory.isAuthorized(account, capability, jurisdiction);
              expect(actual, `account ${i} cap ${capability} in ${jurisdiction}`).to.equal(modelAuthorizes(model, i, capability, jurisdiction));
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
