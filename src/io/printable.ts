/**
 * Control characters (a newline, a carriage return, an escape sequence) and the marks that reverse the direction of
 * text, as they would appear in a name: printed raw, a file named "x\n✓ index.html matches" forges a line of a
 * report. Each becomes a visible escape instead.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    return named[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`;
  });
}
