/**
 * The JSON-RPC errors Besu answers with, code and message as in its `RpcErrorType` (Besu 24.12 to 25.x), so the
 * stand-in node and our tooling's handling of its answers agree with production word for word.
 */
export const BESU_RPC_ERRORS = {
  METHOD_NOT_FOUND: { code: -32601, message: "Method not found" },
  INVALID_PARAMS: { code: -32602, message: "Invalid params" },
  INVALID_TRANSACTION_TYPE: { code: -32602, message: "Invalid transaction type" },
  ETH_SEND_TX_NOT_AVAILABLE: {
    code: -32604,
    message: "The method eth_sendTransaction is not supported. Use eth_sendRawTransaction to send a signed transaction to Besu.",
  },
  NONCE_TOO_LOW: { code: -32001, message: "Nonce too low" },
  TRANSACTION_UPFRONT_COST_EXCEEDS_BALANCE: { code: -32004, message: "Upfront cost exceeds account balance" },
  EXCEEDS_TRANSACTION_GAS_LIMIT: { code: -32005, message: "Transaction gas limit exceeds transaction gas limit cap" },
  TX_SENDER_NOT_AUTHORIZED: { code: -32007, message: "Sender account not authorized to send transactions" },
  WRONG_CHAIN_ID: { code: -32000, message: "Wrong chainId" },
  REPLAY_PROTECTED_SIGNATURE_REQUIRED: { code: -32000, message: "ChainId is required" },
  NONCE_TOO_FAR_IN_FUTURE_FOR_SENDER: { code: -32000, message: "Transaction nonce is too distant from current sender nonce" },
  ACCOUNT_ALLOWLIST_NOT_ENABLED: { code: -32000, message: "Account allowlist has not been enabled" },
  ACCOUNT_ALLOWLIST_EMPTY_ENTRY: { code: -32000, message: "Request contains an empty list of accounts" },
  ACCOUNT_ALLOWLIST_INVALID_ENTRY: { code: -32000, message: "Request contains an invalid account" },
  ACCOUNT_ALLOWLIST_DUPLICATED_ENTRY: { code: -32000, message: "Request contains duplicate accounts" },
  ACCOUNT_ALLOWLIST_EXISTING_ENTRY: { code: -32000, message: "Cannot add an existing account to allowlist" },
  ACCOUNT_ALLOWLIST_ABSENT_ENTRY: { code: -32000, message: "Cannot remove an absent account from allowlist" },
  NODE_ALLOWLIST_NOT_ENABLED: { code: -32000, message: "Node allowlist has not been enabled" },
  NODE_ALLOWLIST_EMPTY_ENTRY: { code: -32000, message: "Request contains an empty list of nodes" },
  NODE_ALLOWLIST_INVALID_ENTRY: { code: -32000, message: "Request contains an invalid node" },
  NODE_ALLOWLIST_DUPLICATED_ENTRY: { code: -32000, message: "Request contains duplicate nodes" },
  NODE_ALLOWLIST_EXISTING_ENTRY: { code: -32000, message: "Cannot add an existing node to allowlist" },
  NODE_ALLOWLIST_MISSING_ENTRY: { code: -32000, message: "Cannot remove an absent node from allowlist" },
} as const;

export type BesuRpcErrorName = keyof typeof BESU_RPC_ERRORS;
export type BesuRpcError = (typeof BESU_RPC_ERRORS)[BesuRpcErrorName];

/** Besu reports success of an allow-list change with this string as the result. */
export const PERM_SUCCESS = "Success";
