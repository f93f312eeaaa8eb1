import type { ErrorSentences } from "../chain/error-sentences";

/** The errors of the genesis contracts: the validator set and the permissioning contracts. */
export const BESU_ERRORS: ErrorSentences = {
  prefixes: ["ValidatorSet", "BesuPermissions"],
  sentences: {
    ValidatorSetNotBootstrap: (a) => `only the bootstrap account written into the genesis may bind the validator set, not ${a.caller}`,
    ValidatorSetAlreadyBound: () => "the validator set is already bound",
    ValidatorSetZeroAddress: () => "binding the validator set needs the authority's and the directory's addresses",
    ValidatorSetNodeNotAllowed: (a) => `node ${a.nodeId} is not a validator node the directory allows`,
    ValidatorSetNotInDirectory: (a) => `genesis validator ${a.validator} has no validator node in the directory; register it first`,
    ValidatorSetAlreadyValidator: (a) => `${a.validator} is already a validator`,
    ValidatorSetUnknownValidator: (a) => `${a.validator} is not a validator`,
    ValidatorSetLastValidator: (a) => `${a.validator} is the last validator; without one the chain stops`,
    ValidatorSetNotPrunable: (a) =>
      `the node of ${a.validator} is still in the directory with an organisation that has not left (a suspension does not count); remove it through governance instead`,
    ValidatorSetAtMinimum: (a) => `pruning ${a.validator} would leave fewer than the minimum of ${a.minimum} validators (now ${a.count}); only governance may go below it`,
    BesuPermissionsNotBootstrap: (a) => `only the bootstrap account written into the genesis may bind the permissioning contracts, not ${a.caller}`,
    BesuPermissionsAlreadyBound: () => "the permissioning contract is already bound",
    BesuPermissionsZeroAddress: () => "binding the permissioning contract needs the authority's and the directory's addresses",
  },
};
