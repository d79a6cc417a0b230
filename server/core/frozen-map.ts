// A Map that refuses changes once built: Object.freeze does not stop Map.set, and the
// validated config must not change under the request path.
const sealed = new WeakSet<object>();

export class FrozenMap<K, V> extends Map<K, V> {
  constructor(entries?: Iterable<readonly [K, V]>) {
    super(entries);
    sealed.add(this);
    Object.freeze(this);
  }

  override set(key: K, value: V): this {
    if (sealed.has(this)) throw new TypeError('the config snapshot is read-only');
    return super.set(key, value);
  }

  override delete(_key: K): boolean {
    throw new TypeError('the config snapshot is read-only');
  }

  override clear(): void {
    throw new TypeError('the config snapshot is read-only');
  }
}
