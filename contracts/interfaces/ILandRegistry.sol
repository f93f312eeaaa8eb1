// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IGovernedRegistry} from "./IGovernedRegistry.sol";
import {ILandEncumbrances} from "./ILandEncumbrances.sol";
import {ILandParcels} from "./ILandParcels.sol";
import {ILandSurvey} from "./ILandSurvey.sol";

/// @title ILandRegistry
/// @notice Land parcels keyed by ULPIN, their owners and every change to them: deeds and the mutation of the Record of
/// Rights, objections, rejections and appeals, court freezes and rectifications, bank liens, succession, splits and
/// merges, and the migration of existing records from an anchored snapshot — everything at one address.
///
/// Owners never reach the chain by name: each is a salted identity commitment with a share in basis points, and a
/// parcel keeps only the hash of its owner list. Every event that sets owners carries the full list, so the chain of
/// title of a parcel is rebuilt from its events alone (each indexes the ULPIN first); a caller that changes owners
/// passes the current list, which the contract checks against the hash.
///
/// Who may act comes from the participant directory, in the parcel's jurisdiction: the organisation must serve the
/// parcel's block, or else its district (or be statewide). Governance anchors and retires migration snapshots and
/// sets the clock; it cannot move land.
interface ILandRegistry is ILandParcels, ILandSurvey, ILandEncumbrances, IGovernedRegistry {}
