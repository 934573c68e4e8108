/**
 * Dates that never break across lines. `DateText` shows one ISO date in the active language; `NoBreakDates`
 * shows a message with dates filled in and keeps each date on one line (the words around it still wrap).
 */
import { formatDate, splitDates } from '../lib/format';
import { useT } from '../lib/i18n';

export function DateText({ value }: { value: string | null | undefined }) {
  const { lang } = useT();
  if (!value) return null;
  return <span className="k-num k-nowrap">{formatDate(value, lang)}</span>;
}

export function NoBreakDates({ children }: { children: string }) {
  return (
    <>
      {splitDates(children).map((r, i) =>
        r.date ? (
          <span key={i} className="k-nowrap">
            {r.text}
          </span>
        ) : (
          r.text
        ),
      )}
    </>
  );
}
