/**
 * The interpreter's stable merge sort, comparator calls in the same order (a comparator that throws,
 * or is inconsistent, gives the same outcome). `swap(a, b)` is true when b must come before a.
 */
import { tick, type Guard } from './guards.js';

export function mergeSort<T>(array: T[], swap: (a: T, b: T) => boolean, guard: Guard): T[] {
  // Anything but an array (a path step can hand over a lone value) is returned as it is.
  if (!Array.isArray(array) || array.length <= 1) return array;
  const middle = Math.floor(array.length / 2);
  const left = mergeSort(array.slice(0, middle), swap, guard);
  const right = mergeSort(array.slice(middle), swap, guard);
  const merged: T[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length && r < right.length) {
    tick(guard);
    if (swap(left[l], right[r])) merged.push(right[r++]);
    else merged.push(left[l++]);
  }
  while (l < left.length) merged.push(left[l++]);
  while (r < right.length) merged.push(right[r++]);
  return merged;
}
