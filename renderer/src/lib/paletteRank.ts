/**
 * The command palette's order: a command whose screen name is what the clerk typed, or starts with it, comes
 * before one that merely mentions it ("läsår" finds Läsårsskifte before the placement rules, whose label lists
 * "läsårsskifte" among its contents). Matching ignores case and diacritics ("lasar" finds "Läsårsskifte").
 *
 * Score, lower first (null: not shown):
 *   0  the name (or the whole label) is the query
 *   1  the name (or the label) starts with it
 *   2  a word of the name starts with it
 *   3  person hits (already matched by the core's search), after the commands named so
 *   4  a word of the label starts with it
 *   5  the label contains it
 *   6  a word of a keyword (the label in the other languages) starts with it
 *   7  a keyword or the description contains it; or, for several words, each word is found somewhere
 */
import { foldText } from '../../../shared/text';

export interface Rankable {
  id: string;
  label: string;
  /** The screen or thing the command is about ("Läsårsskifte" for "Gå till Läsårsskifte"); default: the label. */
  name?: string;
  description?: string;
  keywords?: readonly string[];
  /** A person hit from the search: always shown, ranked as score 3. */
  person?: boolean;
}

export const PERSON_SCORE = 3;

const words = (folded: string) => folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

export function score(query: string, a: Rankable): number | null {
  if (a.person) return PERSON_SCORE;
  const q = foldText(query).trim();
  if (!q) return 0;
  const label = foldText(a.label);
  const name = foldText(a.name ?? a.label);
  if (name === q || label === q) return 0;
  if (name.startsWith(q) || label.startsWith(q)) return 1;
  const qWords = words(q);
  const one = qWords.length <= 1;
  if (one && words(name).some((w) => w.startsWith(q))) return 2;
  if (one && words(label).some((w) => w.startsWith(q))) return 4;
  if (label.includes(q)) return 5;
  const keywords = (a.keywords ?? []).map(foldText);
  if (one && keywords.some((k) => words(k).some((w) => w.startsWith(q)))) return 6;
  const rest = [label, ...keywords, foldText(a.description ?? '')];
  if (rest.some((t) => t.includes(q))) return 7;
  if (!one && qWords.every((w) => rest.some((t) => t.includes(w)))) return 7;
  return null;
}

/** The actions to show for the query, best first; ties keep the given order. */
export function rank<T extends Rankable>(query: string, actions: readonly T[]): T[] {
  return actions
    .map((a, i) => ({ a, i, s: score(query, a) }))
    .filter((x): x is { a: T; i: number; s: number } => x.s !== null)
    .sort((x, y) => x.s - y.s || x.i - y.i)
    .map((x) => x.a);
}

/** The screen name in a "Go to X" label: the label without the navigation group's words ("Gå till"). */
export function screenName(label: string, goTo: string): string {
  const prefix = `${goTo} `;
  return label.toLowerCase().startsWith(prefix.toLowerCase()) ? label.slice(prefix.length) : label;
}
