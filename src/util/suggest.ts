/**
 * "Did you mean …?" for unknown names. Damerau-free Levenshtein is enough for typos in
 * identifiers; the threshold grows with the length so `databse` finds `database` but `id`
 * does not suggest `os`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // A case slip or a prefix (`orch` for `orchestration`) is as good as a one-letter typo.
    const d = c === lower ? 0.5 : lower.length >= 3 && c.startsWith(lower) ? 1 : editDistance(name, candidate);
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `(did you mean "x"?)` or the empty string; `quote` picks the quoting of the message. */
export function didYouMean(name: string, candidates: Iterable<string>, quote: '"' | '`' = '"'): string {
  const hit = closest(name, candidates);
  return hit === undefined ? '' : ` (did you mean ${quote}${hit}${quote}?)`;
}
