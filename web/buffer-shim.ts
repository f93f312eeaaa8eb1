// The certificate checks shared with the command line use Node's Buffer; in the browser it is the `buffer` package.
export { Buffer } from "buffer";
