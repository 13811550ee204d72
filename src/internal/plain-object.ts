/**
 * An options or input object: not null, not an array, not a function (`typeof` is `'object'`).
 * Generic so a typed parameter keeps its type after narrowing (`options: FunctionOptions` stays a
 * `FunctionOptions`); on an `unknown` it narrows to `object`. The "expected an object, got …" checks
 * go through here, so an array is never read as an empty options object. Dependency-free, so the
 * pattern matchers can use it too.
 */
export function isPlainObject<T>(v: T): v is T & object {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
