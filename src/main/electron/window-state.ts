/**
 * The main window's size and place, remembered between runs in a small JSON file. A remembered
 * place is used only if the window's title bar would land on a display that is still attached.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the system centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW: WindowState = { width: 1200, height: 820, maximized: false };
export const MIN_WIDTH = 480;
export const MIN_HEIGHT = 360;
/** How much of the title bar must be on screen for the user to grab it. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 24;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state if it has the right shape, else null (a hand-edited or damaged file). */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!finite(r.width) || !finite(r.height) || r.width <= 0 || r.height <= 0) return null;
  const state: WindowState = { width: Math.round(r.width), height: Math.round(r.height), maximized: r.maximized === true };
  if (finite(r.x) && finite(r.y)) {
    state.x = Math.round(r.x);
    state.y = Math.round(r.y);
  }
  return state;
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window, given the saved state and the work areas of the attached displays:
 * the saved size, shrunk to fit the largest display; the saved place only if the title bar is
 * reachable on some display.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rectangle[]): WindowState {
  const state = saved ?? DEFAULT_WINDOW;
  const maxWidth = Math.max(MIN_WIDTH, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(MIN_HEIGHT, ...workAreas.map((a) => a.height));
  const width = Math.min(Math.max(state.width, MIN_WIDTH), maxWidth);
  const height = Math.min(Math.max(state.height, MIN_HEIGHT), maxHeight);
  const placed: WindowState = { width, height, maximized: state.maximized };
  if (state.x !== undefined && state.y !== undefined) {
    const titleBar = { x: state.x, y: state.y, width, height: GRAB_HEIGHT };
    const reachable = workAreas.some((area) => {
      const o = overlap(titleBar, area);
      return o.width >= Math.min(GRAB_WIDTH, width) && o.height >= GRAB_HEIGHT;
    });
    if (reachable) {
      placed.x = state.x;
      placed.y = state.y;
    }
  }
  return placed;
}

export function readWindowState(dir: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(fs.readFileSync(path.join(dir, WINDOW_STATE_FILE), 'utf8')));
  } catch {
    return null;
  }
}

/** Writes through a temporary file, so a crash mid-write leaves the old state, not half a file. */
export function writeWindowState(dir: string, state: WindowState): void {
  const file = path.join(dir, WINDOW_STATE_FILE);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file + '.tmp', JSON.stringify(state) + '\n');
  fs.renameSync(file + '.tmp', file);
}
