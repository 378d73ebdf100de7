/**
 * "Did you mean …?" for unknown names. Edit distance with adjacent transpositions (optimal
 * string alignment): plain Levenshtein counts `Itme` → `Item` as 2 and missed the commonest
 * typo. The threshold grows with the length so `databse` finds `database` but `id` does not
 * suggest `os`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

/** Length of the whole leading segments (up to a `.`, `-`, `_` or `/`) two names share. */
function sharedSegments(a: string, b: string): number {
  let cut = 0;
  for (let i = 0; i < a.length && i < b.length && a[i] === b[i]; i++) if ('.-_/'.includes(a[i])) cut = i + 1;
  return cut;
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // The threshold counts only what differs after shared segments: with the whole length,
    // `order.cancelled` (limit 5) "meant" `order.created` and `payment.charged` `payment.failed`.
    const limit = Math.max(1, Math.floor((name.length - sharedSegments(lower, c)) / 3));
    // A case slip or a prefix (`orch` for `orchestration`) is as good as a one-letter typo.
    const d = c === lower ? 0.5 : lower.length >= 3 && c.startsWith(lower) ? 1 : editDistance(name, candidate);
    if (d > limit) continue;
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `(did you mean "x"?)` or the empty string; `quote` picks the quoting of the message. */
export function didYouMean(name: string, candidates: Iterable<string>, quote: '"' | '`' = '"'): string {
  const hit = closest(name, candidates);
  return hit === undefined ? '' : ` (did you mean ${quote}${hit}${quote}?)`;
}
