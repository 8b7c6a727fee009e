// Tells a Go function's own code from the standard library's and the runtime's, by its package path.

/** 0 application code, 1 standard library, 2 runtime (runtime, runtime/internal, internal/runtime). */
export type FrameKind = 0 | 1 | 2;
export const FRAME_APP: FrameKind = 0;
export const FRAME_STD: FrameKind = 1;
export const FRAME_RUNTIME: FrameKind = 2;

/**
 * First path elements of the standard library. Module paths of applications usually hold a dot
 * (github.com/…), but `main` and dot-less module names (`fixturegen/…`) do not, so a list is needed.
 */
const STD_ROOTS = new Set([
  'archive', 'bufio', 'builtin', 'bytes', 'cmp', 'compress', 'container', 'context', 'crypto', 'database',
  'debug', 'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index',
  'internal', 'io', 'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path', 'plugin', 'reflect', 'regexp',
  'runtime', 'slices', 'sort', 'strconv', 'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time',
  'unicode', 'unique', 'unsafe', 'vendor', 'weak',
]);

/** The package path of a Go function name: `net/http.(*conn).serve` → `net/http`. */
export function packageOfFunction(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? name : name.substring(0, dot);
}

/** Classifies a function by its package path. */
export function classifyGoFunction(name: string): FrameKind {
  const pkg = packageOfFunction(name);
  if (pkg === 'runtime' || pkg.startsWith('runtime/internal') || pkg.startsWith('internal/runtime')) return FRAME_RUNTIME;
  const slash = pkg.indexOf('/');
  const root = slash < 0 ? pkg : pkg.substring(0, slash);
  if (root.includes('.')) return FRAME_APP;
  if (slash < 0 && pkg === 'main') return FRAME_APP;
  return STD_ROOTS.has(root) ? FRAME_STD : FRAME_APP;
}
