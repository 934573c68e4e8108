/**
 * A field error in words. ISO dates among its placeholders are written the local way; "already
 * registered" links to the person who holds the number.
 */
import { useCallback, type ReactNode } from 'react';
import { Link } from '../components/common';
import { formatDate, isValidIsoDate } from '../lib/format';
import { useT } from '../lib/i18n';
import type { FieldError } from './errors';

export function useFieldMessage(): (e: FieldError | undefined) => ReactNode {
  const { t, lang } = useT();
  return useCallback(
    (e: FieldError | undefined) => {
      if (!e) return undefined;
      const vars = e.vars && Object.fromEntries(Object.entries(e.vars).map(([k, x]) => [k, typeof x === 'string' && isValidIsoDate(x) ? formatDate(x, lang) : x]));
      const text = t(e.key, vars);
      if (!e.personId) return <span data-testid="field-error">{text}</span>;
      return (
        <span data-testid="field-error">
          {text}{' '}
          <Link to={{ name: 'person', id: e.personId }} testId="duplicate-link">
            {t('validation.identity.openExisting')}
          </Link>
        </span>
      );
    },
    [t, lang],
  );
}
