/** The search screen: the global search box, large, with its results listed in the page. */
import { Text } from '@mantine/core';
import { useEffect } from 'react';
import { PageTitle } from '../components/common';
import { focusSearch, SearchBox } from '../components/Search';
import { useT } from '../lib/i18n';
import { MOD } from '../lib/platform';

export function SearchScreen() {
  const { t } = useT();
  useEffect(() => {
    // The search screen exists to search: put the cursor in the box.
    const id = window.setTimeout(() => {
      const a = document.activeElement;
      if (!a || a === document.body || a.tagName === 'H1' || a.closest('.k-nav')) focusSearch();
    }, 0);
    return () => window.clearTimeout(id);
  }, []);
  return (
    <div className="k-page" style={{ maxWidth: 960 }} data-testid="search-screen">
      <PageTitle>{t('search.title')}</PageTitle>
      <SearchBox variant="page" />
      <Text size="sm" c="dimmed" mt="md">
        {t('search.tips', { mod: MOD })}
      </Text>
    </div>
  );
}
