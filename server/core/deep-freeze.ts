/** Freezes an object graph in place (Map values included) and returns it. */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (!value || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  const children = value instanceof Map ? value.values() : Object.values(value);
  for (const child of children) deepFreeze(child, seen);
  return value;
}
