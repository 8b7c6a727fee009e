// Graphviz layout of a DOT graph into SVG text (@viz-js/viz: Graphviz compiled to WebAssembly).

/** What the layout needs of a Graphviz instance (viz-js's `Viz`). */
export interface Graphviz {
  render(dot: string, options: { format: string; engine: string }): { status: string; output?: string; errors: { message: string }[] };
}

export type LayoutResult = { ok: true; svg: string; ms: number } | { ok: false; error: string };

/**
 * A layout engine: `layout(dot)` runs Graphviz `dot` and answers the SVG text, or Graphviz's error. The
 * instance is loaded once, on the first call (or `warm()`); a load failure is answered as an error, and
 * retried on the next call.
 */
export function createLayoutEngine(load: () => Promise<Graphviz>, now: () => number = () => performance.now()) {
  let instance: Promise<Graphviz> | null = null;
  const get = () => {
    instance ??= load().catch((e: unknown) => {
      instance = null;
      throw e;
    });
    return instance;
  };
  return {
    async warm(): Promise<void> {
      await get().catch(() => undefined);
    },
    async layout(dot: string): Promise<LayoutResult> {
      let viz: Graphviz;
      try {
        viz = await get();
      } catch (e) {
        return { ok: false, error: `Graphviz could not start: ${e instanceof Error ? e.message : String(e)}` };
      }
      const start = now();
      try {
        const result = viz.render(dot, { format: 'svg', engine: 'dot' });
        if (result.status !== 'success' || result.output === undefined) {
          const message = result.errors.map((e) => e.message.trim()).filter((m) => m !== '').join('; ');
          return { ok: false, error: `Graphviz could not lay out the graph${message ? `: ${message}` : ''}` };
        }
        return { ok: true, svg: result.output, ms: now() - start };
      } catch (e) {
        return { ok: false, error: `Graphviz failed: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}

export type LayoutEngine = ReturnType<typeof createLayoutEngine>;
