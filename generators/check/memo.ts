/**
 * Memoizes a function of one object by the object's identity. The check builds its inputs
 * once (rendered folders, apps/, a cluster's plan and admission requests) and never changes
 * them afterwards, so an answer computed for an object stays true for as long as it lives.
 */
export function memoByIdentity<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const known = new WeakMap<K, V>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined || known.has(key)) return hit as V;
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}
