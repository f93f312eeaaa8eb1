// The native half of the `keccak` package, loaded directly so a missing binary fails instead of falling back to JS.
declare module "keccak/bindings" {
  import createKeccak from "keccak";
  export = createKeccak;
}
