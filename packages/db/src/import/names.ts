// How the importer compares names: case, accents, curly apostrophes, dashes and spacing do not
// matter, so "Kolářová", "KOLAROVA" and "Kolarova" are one actor and "Bresk–Drazen" matches
// "Bresk-Drazen".

/** The comparison form of a name. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A title's comparison form without a leading article: "the Sallon Accord" is "Sallon Accord". */
export function titleKey(title: string): string {
  return nameKey(title)
    .replace(/^the /, '')
    .replace(/["“”«»]/g, '')
    .trim();
}

/** The words of a text in comparison form, for a quick "could this name occur here" test. */
export function wordKeys(text: string): Set<string> {
  return new Set(nameKey(text).match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** The first word of a name in comparison form ("" when it has none). */
export function firstWordKey(name: string): string {
  return nameKey(name).match(/[\p{L}\p{N}]+/u)?.[0] ?? '';
}
