/**
 * The order in which routes are tried. wouter's `Switch` takes the first route that matches, react-router took the most
 * specific one: `/incidents/new` must win over `/incidents/:id`, and `*` (the 404 page) come last, whatever order the
 * features list their pages in. Scored as react-router does: a fixed segment beats a parameter, which beats a splat.
 */
export function routeScore(path: string): number {
  const segments = path.split('/');
  let score = segments.length;
  for (const s of segments) {
    if (s === '*') score -= 2;
    else if (s.startsWith(':')) score += 3;
    else if (s === '') score += 1;
    else score += 10;
  }
  return score;
}

/** The items sorted most specific first; items of equal specificity keep their order. */
export function byRouteRank<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
  return items.map((item, i) => ({ item, i, score: routeScore(pathOf(item)) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((x) => x.item);
}
