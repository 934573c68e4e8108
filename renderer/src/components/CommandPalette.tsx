/**
 * The command palette (Ctrl+K): every navigation and action, searchable in the active language
 * (and, through keywords, in the other two — a Norwegian clerk on a Swedish UI still finds "ny person").
 */
import { Spotlight, type SpotlightActionData } from '@mantine/spotlight';
import { useMemo, type ReactNode } from 'react';
import { catalogs, LANGUAGES, LANGUAGE_NAMES, type MessageId } from '../../../shared/i18n';
import { useScreenActions } from '../lib/actions';
import { useAuth } from '../lib/authContext';
import { setLang, useT, type TKey } from '../lib/i18n';
import { ALT, MOD } from '../lib/platform';
import { navigate, useRoute } from '../lib/router';
import { useSession } from '../lib/session';
import { helpOpen } from '../lib/store';
import { accountDialog } from './AccountMenu';
import { IconAudit, IconCommand, IconDownload, IconEdit, IconEye, IconHelp, IconLanguage, IconLock, IconOrg, IconPerson, IconPersons, IconPlus, IconReload, IconSearch, IconUsers } from './icons';
import type { ScreenAction } from '../lib/actions';

const ACTION_ICONS: Partial<Record<ScreenAction['id'], ReactNode>> = {
  edit: <IconEdit size={18} />,
  reveal: <IconEye size={18} />,
  newUnit: <IconPlus size={18} />,
  newUser: <IconPlus size={18} />,
  newApplication: <IconPlus size={18} />,
  newPlacement: <IconPlus size={18} />,
  newEnrolment: <IconPlus size={18} />,
  exportPdf: <IconDownload size={18} />,
  exportCsv: <IconDownload size={18} />,
};
import { focusSearch } from './Search';

const keywordsFor = (id: TKey): string[] => LANGUAGES.map((l) => catalogs[l][id as MessageId]).filter((x): x is string => typeof x === 'string');

export function CommandPalette() {
  const { t, lang } = useT();
  const session = useSession();
  const auth = useAuth();
  const screenActions = useScreenActions();
  const route = useRoute();

  const actions = useMemo<SpotlightActionData[]>(() => {
    const a = (id: string, label: TKey, run: () => void, opts: { icon?: ReactNode; hint?: string; group: TKey; description?: string }): SpotlightActionData => ({
      id,
      label: t(label),
      description: opts.description,
      group: t(opts.group),
      keywords: keywordsFor(label),
      leftSection: opts.icon,
      rightSection: opts.hint ? <kbd>{opts.hint}</kbd> : undefined,
      onClick: run,
    });
    const list: SpotlightActionData[] = [];
    for (const sa of screenActions) {
      const icon = ACTION_ICONS[sa.id] ?? <IconReload size={18} />;
      const hint = sa.hint ?? (sa.id === 'edit' ? 'E' : sa.id === 'reveal' ? 'R' : undefined);
      const group: TKey = sa.group === 'navigate' ? 'palette.group.navigate' : sa.group === 'create' ? 'palette.group.create' : 'palette.group.thisScreen';
      list.push(a(`screen-${sa.id}`, sa.label, sa.run, { icon, hint, group }));
    }
    if (session.can('register.search')) {
      list.push(
        a('go-search', 'palette.goSearch', () => {
          navigate({ name: 'search', q: '' });
          window.setTimeout(focusSearch, 0);
        }, { icon: <IconSearch size={18} />, hint: 'G S', group: 'palette.group.navigate' }),
      );
    }
    if (session.can('register.read')) list.push(a('go-persons', 'palette.goPersons', () => navigate({ name: 'persons' }), { icon: <IconPersons size={18} />, hint: 'G P', group: 'palette.group.navigate' }));
    if (session.can('org.read')) list.push(a('go-org', 'palette.goOrg', () => navigate({ name: 'org' }), { icon: <IconOrg size={18} />, hint: 'G O', group: 'palette.group.navigate' }));
    if (session.can('access.admin')) list.push(a('go-users', 'palette.goUsers', () => navigate({ name: 'users' }), { icon: <IconUsers size={18} />, group: 'palette.group.navigate' }));
    if (session.can('audit.read')) list.push(a('go-audit', 'palette.goAudit', () => navigate({ name: 'audit' }), { icon: <IconAudit size={18} />, group: 'palette.group.navigate' }));
    if (session.can('register.search')) list.push(a('focus-search', 'palette.focusSearch', () => window.setTimeout(focusSearch, 0), { icon: <IconSearch size={18} />, hint: '/', group: 'palette.group.navigate' }));
    if (session.can('register.write')) {
      list.push(a('new-person', 'palette.newPerson', () => navigate({ name: 'personNew' }), { icon: <IconPlus size={18} />, hint: `${ALT}+N`, group: 'palette.group.create' }));
    }
    if (session.can('org.write')) {
      list.push(a('new-unit', 'palette.newUnit', () => navigate({ name: 'unitNew' }), { icon: <IconPlus size={18} />, group: 'palette.group.create' }));
    }
    if (session.can('access.admin')) {
      list.push(a('new-user', 'palette.newUser', () => navigate({ name: 'userNew' }), { icon: <IconPlus size={18} />, group: 'palette.group.create' }));
    }
    list.push(
      a('lock', 'palette.lock', () => auth.lock(), { icon: <IconLock size={18} />, hint: `${MOD}+L`, group: 'palette.group.account' }),
      a('change-password', 'palette.changePassword', () => accountDialog.set('password'), { icon: <IconPerson size={18} />, group: 'palette.group.account' }),
      a('totp', 'palette.totp', () => accountDialog.set('totp'), { icon: <IconPerson size={18} />, group: 'palette.group.account' }),
      a('sign-out', 'palette.signOut', () => auth.signOut(), { icon: <IconPerson size={18} />, group: 'palette.group.account' }),
    );
    for (const l of LANGUAGES) {
      list.push({
        ...a(`lang-${l}`, `palette.language.${l}`, () => setLang(l), { icon: <IconLanguage size={18} />, group: 'palette.group.language' }),
        description: l === lang ? t('palette.language.current') : undefined,
        keywords: [...keywordsFor(`palette.language.${l}`), LANGUAGE_NAMES[l], l],
      });
    }
    list.push(a('help', 'palette.shortcuts', () => helpOpen.set(true), { icon: <IconHelp size={18} />, hint: '?', group: 'palette.group.help' }));
    return list;
    // route: the screen actions already follow it; listed so labels refresh with the screen
  }, [t, lang, session, auth, screenActions, route]);

  return (
    <Spotlight
      actions={actions}
      shortcut={null}
      // No opening animation: the input must have focus at once, or a clerk who types straight after
      // Ctrl+K loses the first keystrokes.
      transitionProps={{ duration: 0 }}
      nothingFound={t('palette.nothing')}
      highlightQuery
      scrollable
      maxHeight={460}
      // The list scrolls when it is longer than the palette: keyboard users can focus and scroll it too.
      scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}
      limit={50}
      searchProps={{
        leftSection: <IconCommand size={18} />,
        placeholder: t('palette.placeholder'),
        'aria-label': t('palette.title'),
      }}
      // The dialog needs a name; Spotlight has no title, so label its content section directly.
      attributes={{ content: { 'aria-label': t('palette.title') } as Record<string, string> }}
      data-testid="command-palette"
    />
  );
}

export const PALETTE_SHORTCUT = `${MOD}+K`;
