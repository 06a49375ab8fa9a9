/**
 * Shortcuts by physical key (`KeyboardEvent.code`), so Alt+H is the same key whether the layout
 * types `h` or `י`. A chord is written `Mod+Alt+Shift+KeyH`; `Mod` is Ctrl, or Cmd on macOS.
 */
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function matches(e: KeyboardEvent, chord: string): boolean {
  const parts = chord.split('+');
  const code = parts.pop();
  const want = new Set(parts);
  const mod = isMac ? e.metaKey : e.ctrlKey;
  return (
    e.code === code &&
    mod === want.has('Mod') &&
    e.altKey === want.has('Alt') &&
    e.shiftKey === want.has('Shift') &&
    (isMac ? e.ctrlKey === false : e.metaKey === false)
  );
}

/** True when the key press belongs to a text field (its own undo, its own Ctrl+A). */
export function inTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}
