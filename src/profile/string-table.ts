// Interning strings into a table as profiles do (index 0 is the empty string).

/** A growing string table: `intern` returns a string's index, adding it on first sight. */
export interface StringTableBuilder {
  strings: string[];
  intern(s: string): number;
}

/** Starts from `initial` (which must begin with '') or from ['']. */
export function createStringTable(initial: string[] = ['']): StringTableBuilder {
  const strings = [...initial];
  const index = new Map<string, number>();
  strings.forEach((s, i) => {
    if (!index.has(s)) index.set(s, i);
  });
  return {
    strings,
    intern(s) {
      let i = index.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        index.set(s, i);
      }
      return i;
    },
  };
}
