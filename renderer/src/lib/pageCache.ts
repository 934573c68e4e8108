/**
 * Pages of a long list, fetched by offset as the viewport needs them.
 * A page is requested once (in-flight requests are shared), kept in a small LRU so scrolling back
 * is instant, and dropped when it falls out of the LRU so memory stays flat over 300 000 rows.
 */
export interface Page<T> {
  items: T[];
  total: number;
}

export class PageCache<T> {
  readonly pageSize: number;
  private readonly maxPages: number;
  private readonly pages = new Map<number, T[]>();
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private disposed = false;
  total: number | null = null;
  error: unknown = null;
  /** Bumped on every change, for React to notice. */
  version = 0;

  constructor(
    private readonly fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
    opts: { pageSize?: number; maxPages?: number } = {},
  ) {
    this.pageSize = opts.pageSize ?? 200;
    this.maxPages = opts.maxPages ?? 40;
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  get(index: number): T | undefined {
    const p = Math.floor(index / this.pageSize);
    const page = this.pages.get(p);
    if (!page) return undefined;
    // LRU touch: re-insert so this page is the newest
    this.pages.delete(p);
    this.pages.set(p, page);
    return page[index - p * this.pageSize];
  }

  has(index: number): boolean {
    return this.pages.has(Math.floor(index / this.pageSize));
  }

  /** Makes sure rows [start, end] are loaded or loading. */
  ensure(start: number, end: number): Promise<void> {
    const first = Math.max(0, Math.floor(start / this.pageSize));
    const last = Math.max(first, Math.floor(Math.max(start, end) / this.pageSize));
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (this.total !== null && p * this.pageSize >= this.total && p > 0) break;
      if (this.pages.has(p)) continue;
      waits.push(this.load(p));
    }
    return Promise.all(waits).then(() => undefined);
  }

  private load(p: number): Promise<void> {
    const existing = this.inflight.get(p);
    if (existing) return existing;
    const req = this.fetchPage(p * this.pageSize, this.pageSize).then(
      (res) => {
        this.inflight.delete(p);
        if (this.disposed) return;
        this.pages.set(p, res.items);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value as number;
          this.pages.delete(oldest);
        }
        this.total = res.total;
        this.error = null;
        this.changed();
      },
      (e: unknown) => {
        this.inflight.delete(p);
        if (this.disposed) return;
        this.error = e;
        this.changed();
      },
    );
    this.inflight.set(p, req);
    return req;
  }

  /** Clears the error so the next `ensure` tries again. */
  retry(): void {
    this.error = null;
    this.changed();
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  get loadedPages(): number {
    return this.pages.size;
  }
}
