/** Find and search hits: short-lived decorations, replaced as a whole at every new query. */
import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';

export const hitsKey = new PluginKey<DecorationSet>('hits');

export interface HitsAction {
  ranges: readonly { from: number; to: number }[];
  current: number;
}

export function hitsPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: hitsKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, set) {
        const action = tr.getMeta(hitsKey) as HitsAction | undefined;
        if (!action) return tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
        return DecorationSet.create(
          tr.doc,
          action.ranges.map((r, i) =>
            Decoration.inline(r.from, r.to, { nodeName: 'span', class: i === action.current ? 'find-hit find-hit-current' : 'find-hit' }),
          ),
        );
      },
    },
    props: { decorations: (state: EditorState) => hitsKey.getState(state) },
  });
}
