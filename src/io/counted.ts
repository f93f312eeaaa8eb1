/** "1 document", "2 documents": a count with its noun, singular for one. */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
