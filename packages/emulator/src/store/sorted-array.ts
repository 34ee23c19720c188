// Binary search over an array kept sorted: the building block of the list indexes.

/** The first index at which `before` turns false; `items` must hold every `before` element first. */
function partitionPoint<T>(items: readonly T[], before: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(items[mid]!)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first index whose element is not less than `target` (ordered by `compare`). */
export function lowerBound<T, K>(
  items: readonly T[],
  target: K,
  compare: (item: T, target: K) => number,
): number {
  return partitionPoint(items, (item) => compare(item, target) < 0);
}

/** The first index whose element is greater than `target`. */
export function upperBound<T, K>(
  items: readonly T[],
  target: K,
  compare: (item: T, target: K) => number,
): number {
  return partitionPoint(items, (item) => compare(item, target) <= 0);
}
