// Indexing for tests: the item at `index` (negative counts from the end), or a failure naming what was missing.
export function at<T>(items: readonly T[], index: number): T {
  const item = items.at(index);
  if (item === undefined) throw new Error(`expected an item at index ${index}, but there are ${items.length}`);
  return item;
}
