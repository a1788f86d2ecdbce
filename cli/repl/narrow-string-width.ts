/**
 * string-width, answered at once for text made only of characters that are
 * one column wide on their own: printable ASCII and the few symbols the
 * REPL draws (rules, bars, arrows, the ellipsis). Everything else goes to
 * string-width itself.
 *
 * The bundle (bundle.ts) puts this in place of string-width for Ink. Its
 * first call on any non-ASCII text compiles an emoji regular expression and
 * starts Intl.Segmenter, about 50 ms on this project's machines, and the
 * first screen is drawn with those symbols: without this, every start-up
 * pays for machinery the REPL's own text never needs.
 */
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

type Options = Parameters<typeof stringWidth>[1];

/**
 * Characters of East Asian width Ambiguous or Neutral that are no emoji,
 * no mark and combine with nothing: width 1 wherever ambiguous characters
 * count as narrow, string-width's default.
 */
const NARROW = /^[\u0020-\u007e\u00a7\u00b7\u2019\u2026\u2190\u2192\u2500\u2588\u2591\u2593\u25b2\u25bc]*$/;

export default function narrowStringWidth(text: string, options?: Options): number {
  if (typeof text !== 'string' || options?.countAnsiEscapeCodes === true || options?.ambiguousIsNarrow === false) {
    return stringWidth(text, options);
  }
  const plain = text.includes('\u001b') || text.includes('\u009b') ? stripAnsi(text) : text;
  return NARROW.test(plain) ? plain.length : stringWidth(text, options);
}
