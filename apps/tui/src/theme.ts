// How states look. Every state keeps a glyph and its word, so nothing depends on colour alone:
// with NO_COLOR (https://no-color.org) the theme simply hands out no colours.
import { JobRun_State } from "@jobrun/core";

/** Ink colour names this theme uses; `undefined` means "the terminal's default". */
export type Colour = "green" | "red" | "yellow" | "cyan" | "magenta" | "gray" | "blue";

/** Props to spread on an Ink <Text>: no `color` at all without colour. */
export interface ColourProps {
  readonly color?: Colour;
}

export type Accent = "title" | "key" | "error" | "muted" | "info";

export interface Theme {
  /** Whether colours are used at all. */
  readonly colour: boolean;
  /** The colour of a state. */
  state(state: JobRun_State): ColourProps;
  /** A named accent: headers, keys in help, errors. */
  accent(name: Accent): ColourProps;
}

/** Spinner frames for runs that are still moving (IN_PROGRESS, TERMINATING). */
export const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

const stateColours: Readonly<Record<number, Colour>> = {
  [JobRun_State.IN_PROGRESS]: "cyan",
  [JobRun_State.SUCCEEDED]: "green",
  [JobRun_State.FAILED]: "red",
  [JobRun_State.TERMINATING]: "yellow",
  [JobRun_State.TERMINATED]: "magenta",
};

const accents = { title: "blue", key: "cyan", error: "red", muted: "gray", info: "green" } as const;

/** The glyph of a state; moving states animate with `frame`. */
export function stateGlyph(state: JobRun_State, frame: number): string {
  switch (state) {
    case JobRun_State.IN_PROGRESS:
    case JobRun_State.TERMINATING:
      return SPINNER_FRAMES[frame % SPINNER_FRAMES.length] ?? "·";
    case JobRun_State.SUCCEEDED:
      return "✓";
    case JobRun_State.FAILED:
      return "✗";
    case JobRun_State.TERMINATED:
      return "■";
    default:
      return "?";
  }
}

/** A theme with or without colour. */
export function createTheme(colour: boolean): Theme {
  return {
    colour,
    state: (state) => {
      const c = colour ? stateColours[state] : undefined;
      return c === undefined ? {} : { color: c };
    },
    accent: (name) => (colour ? { color: accents[name] } : {}),
  };
}

/** NO_COLOR set to anything non-empty turns colour off, as the convention asks. */
export function themeFromEnv(env: Readonly<Record<string, string | undefined>>): Theme {
  const noColour = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return createTheme(!noColour);
}
