/**
 * Highlights as decorations in plugin state: built when a section is mounted (from the highlight
 * index, see highlight-index.ts), then mapped through every transaction and changed one
 * annotation at a time. Each gets its own nested span (`nodeName`), so overlapping highlights
 * keep their own colour and `data-annotation-id`; the layer (see layers.ts) decides how each is
 * drawn so that both stay visible. Nothing is inserted into the text.
 */
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import type { Color } from '../../common/model.js';

export interface HighlightSpec {
  id: string;
  color: Color;
  layer: number;
}

/** A highlight as one section draws it: document positions of that section. */
export interface DrawnHighlight extends HighlightSpec {
  from: number;
  to: number;
}

interface HighlightState {
  set: DecorationSet;
  focused: string | null;
}

export type HighlightAction =
  | { type: 'reset'; items: readonly DrawnHighlight[]; focused: string | null }
  | { type: 'add'; item: DrawnHighlight }
  | { type: 'recolor'; id: string; color: Color }
  | { type: 'remove'; id: string }
  | { type: 'focus'; id: string | null };

export const highlightsKey = new PluginKey<HighlightState>('highlights');

function decoration(from: number, to: number, spec: HighlightSpec, focused: boolean): Decoration {
  return Decoration.inline(
    from,
    to,
    {
      nodeName: 'span',
      class: `hl hl-${spec.color} hl-layer-${spec.layer}${focused ? ' hl-focused' : ''}`,
      'data-annotation-id': spec.id,
    },
    { id: spec.id, color: spec.color, layer: spec.layer, inclusiveStart: false, inclusiveEnd: false },
  );
}

function byId(set: DecorationSet, id: string): Decoration[] {
  return set.find(undefined, undefined, (spec) => (spec as HighlightSpec).id === id);
}

function apply(action: HighlightAction, state: HighlightState, doc: PMNode): HighlightState {
  let { set } = state;
  const { focused } = state;
  const redraw = (id: string | null, change: (spec: HighlightSpec) => HighlightSpec, on: (id: string) => boolean) => {
    if (!id) return;
    const old = byId(set, id);
    if (!old.length) return;
    const next = old.map((d) => decoration(d.from, d.to, change(d.spec as HighlightSpec), on(id)));
    // `remove` empties the array it is given as it goes, so it gets its own.
    set = set.remove([...old]).add(doc, next);
  };
  switch (action.type) {
    case 'reset':
      return {
        set: DecorationSet.create(
          doc,
          action.items.map((i) => decoration(i.from, i.to, i, i.id === action.focused)),
        ),
        focused: action.focused,
      };
    case 'add':
      return { set: set.add(doc, [decoration(action.item.from, action.item.to, action.item, action.item.id === focused)]), focused };
    case 'recolor':
      redraw(action.id, (spec) => ({ ...spec, color: action.color }), (id) => id === focused);
      return { set, focused };
    case 'remove':
      return { set: set.remove(byId(set, action.id)), focused: focused === action.id ? null : focused };
    case 'focus':
      redraw(focused, (spec) => spec, () => false);
      redraw(action.id, (spec) => spec, () => true);
      return { set, focused: action.id };
  }
}

export function highlightsPlugin(): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: highlightsKey,
    state: {
      init: () => ({ set: DecorationSet.empty, focused: null }),
      apply(tr: Transaction, value: HighlightState) {
        let next = tr.docChanged ? { ...value, set: value.set.map(tr.mapping, tr.doc) } : value;
        const action = tr.getMeta(highlightsKey) as HighlightAction | undefined;
        if (action) next = apply(action, next, tr.doc);
        return next;
      },
    },
    props: {
      decorations: (state: EditorState) => highlightsKey.getState(state)?.set,
    },
  });
}
