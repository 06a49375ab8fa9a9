/**
 * Highlights as decorations in plugin state: built once when a document opens, then mapped
 * through every transaction and changed one annotation at a time. Each gets its own nested span
 * (`nodeName`), so overlapping highlights keep their own colour and `data-annotation-id`; the
 * layer (see layers.ts) decides how each is drawn so that both stay visible. Nothing is inserted
 * into the text.
 */
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import type { Annotation, Color } from '../../common/model.js';
import { assignLayers, freeLayer, type Layered } from './layers.js';

export interface HighlightSpec {
  id: string;
  color: Color;
  layer: number;
}

interface HighlightState {
  set: DecorationSet;
  focused: string | null;
}

export type HighlightAction =
  | { type: 'reset'; annotations: readonly Annotation[] }
  | { type: 'add'; annotation: Annotation }
  | { type: 'update'; annotation: Annotation }
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
    { ...spec, inclusiveStart: false, inclusiveEnd: false },
  );
}

function byId(set: DecorationSet, id: string): Decoration[] {
  return set.find(undefined, undefined, (spec) => (spec as HighlightSpec).id === id);
}

/** `toPos` turns a canonical offset into a document position (see positions.ts). */
export function highlightsPlugin(toPos: (offset: number) => number): Plugin<HighlightState> {
  const range = (a: Annotation) => ({ from: toPos(a.start), to: toPos(a.end) });
  const visible = (a: Annotation) => a.status === 'anchored' && a.end > a.start;

  function apply(action: HighlightAction, state: HighlightState, doc: PMNode): HighlightState {
    let { set, focused } = state;
    const refocus = (id: string | null, on: boolean) => {
      if (!id) return;
      for (const d of byId(set, id)) {
        set = set.remove([d]).add(doc, [decoration(d.from, d.to, d.spec as HighlightSpec, on)]);
      }
    };
    switch (action.type) {
      case 'reset': {
        const items = assignLayers(action.annotations.filter(visible).map((a) => ({ ...range(a), a })));
        const decos = items.map((i) => decoration(i.from, i.to, { id: i.a.id, color: i.a.color, layer: i.layer }, i.a.id === focused));
        return { set: DecorationSet.create(doc, decos), focused };
      }
      case 'add': {
        if (!visible(action.annotation)) return state;
        const { from, to } = range(action.annotation);
        const near: Layered[] = set.find(from, to).map((d) => ({ from: d.from, to: d.to, layer: (d.spec as HighlightSpec).layer }));
        const spec = { id: action.annotation.id, color: action.annotation.color, layer: freeLayer(near, from, to) };
        return { set: set.add(doc, [decoration(from, to, spec, action.annotation.id === focused)]), focused };
      }
      case 'update': {
        const old = byId(set, action.annotation.id);
        set = set.remove(old);
        for (const d of old) {
          const spec = { ...(d.spec as HighlightSpec), color: action.annotation.color };
          set = set.add(doc, [decoration(d.from, d.to, spec, action.annotation.id === focused)]);
        }
        return { set, focused };
      }
      case 'remove':
        return { set: set.remove(byId(set, action.id)), focused: focused === action.id ? null : focused };
      case 'focus':
        refocus(focused, false);
        refocus(action.id, true);
        return { set, focused: action.id };
    }
  }

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

/** The decorated range of an annotation, if it is shown. */
export function highlightRange(state: EditorState, id: string): { from: number; to: number } | null {
  const set = highlightsKey.getState(state)?.set;
  const d = set ? byId(set, id)[0] : undefined;
  return d ? { from: d.from, to: d.to } : null;
}
