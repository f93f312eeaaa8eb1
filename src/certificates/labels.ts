/**
 * How a field is named for people: the schema's `label` where it gives one ("CGPA"), else its name in words
 * ("dateOfBirth" → "Date of birth"). The printed certificate, the command line and the verification page all name a
 * field by this one rule, so the page says what the paper says.
 */
export function fieldLabel(name: string, label?: string): string {
  if (label) return label;
  const words = name.replace(/_/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a schema tells a reader of its certificates: each field's label and whether the paper prints it. */
export interface SchemaLabels {
  readonly id: string;
  readonly title: string;
  readonly fields: Readonly<Record<string, { readonly label: string; readonly printed: boolean }>>;
}
