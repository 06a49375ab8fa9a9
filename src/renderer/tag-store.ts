/** The library's tags, fetched once and refreshed after every change, shared by all views. */
import type { GlossApi } from '../common/api.js';
import type { Tag } from '../common/model.js';
import { tagAncestors } from '../common/tag-path.js';

export class TagStore {
  tags: Tag[] = [];
  private readonly listeners: (() => void)[] = [];
  private asked = 0;

  constructor(private readonly api: GlossApi) {}

  async refresh(): Promise<void> {
    // Refreshes can overlap (a change here, a document opened there): an older answer arriving
    // late must not replace a newer one.
    const ticket = ++this.asked;
    const tags = await this.api['tags.list']({});
    if (ticket !== this.asked) return;
    this.tags = tags;
    for (const fn of this.listeners) fn();
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Every tag path and each of its ancestors (`claim` for `claim/factual`), sorted. */
  allPaths(): string[] {
    const set = new Set<string>();
    for (const t of this.tags) for (const a of tagAncestors(t.path)) set.add(a);
    return [...set].sort((a, b) => a.localeCompare(b));
  }

  colorOf(path: string): string | null {
    return this.tags.find((t) => t.path === path)?.color ?? null;
  }
}
