/**
 * The command palette (Ctrl+K): every navigation and action, searchable in the active language
 * (and, through keywords, in the other two — a Norwegian clerk on a Swedish UI still finds "ny person").
 */
import { Spotlight, type SpotlightActionData, type SpotlightActionGroupData, type SpotlightFilterFunction } from '@mantine/spotlight';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { catalogs, LANGUAGES, LANGUAGE_NAMES, type MessageId } from '../../../shared/i18n';
import { useScreenActions } from '../lib/actions';
import { useApi } from '../lib/api';
import type { SearchHit } from '../lib/domain';
import { formatDate, listName } from '../lib/format';
import { rank, screenName, type Rankable } from '../lib/paletteRank';
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
  newFeeRun: <IconPlus size={18} />,
  exportFeeRun: <IconDownload size={18} />,
  newFoiRequest: <IconPlus size={18} />,
  addFoiPerson: <IconPlus size={18} />,
  addFoiGroup: <IconPlus size={18} />,
};
import { focusSearch, PlaceTag } from './Search';
import { ProtectedTag } from './Tags';
import { stopFocusReturn } from '../kit/focus';

/** Person hits shown in the palette (through the same search.query as the search box). */
const PERSON_LIMIT = 6;
const PERSON_MIN_CHARS = 2;
const PERSON_DEBOUNCE_MS = 120;
type PersonHit = Extract<SearchHit, { type: 'person' }>;

const keywordsFor = (id: TKey): string[] => LANGUAGES.map((l) => catalogs[l][id as MessageId]).filter((x): x is string => typeof x === 'string');

export function CommandPalette() {
  const { t, lang } = useT();
  const session = useSession();
  const auth = useAuth();
  const screenActions = useScreenActions();
  const route = useRoute();
  const api = useApi();
  const [query, setQuery] = useState('');
  const [persons, setPersons] = useState<{ q: string; items: PersonHit[]; failed: boolean } | null>(null);
  const seq = useRef(0);
  const canSearch = session.can('register.search');

  // A name or an identity number finds persons too, as the search box does; a slower answer to an older
  // query never replaces a newer one.
  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (!canSearch || q.length < PERSON_MIN_CHARS) {
      setPersons(null);
      return;
    }
    const timer = window.setTimeout(() => {
      api.call('search.query', { q, limit: PERSON_LIMIT, types: ['person'] }).then(
        (r) => {
          if (mine === seq.current) setPersons({ q, items: r.items.filter((h): h is PersonHit => h.type === 'person'), failed: false });
        },
        () => {
          if (mine === seq.current) setPersons({ q, items: [], failed: true });
        },
      );
    }, PERSON_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [api, query, canSearch]);
  const personsFor = persons && persons.q === query.trim() ? persons : null;
  // Spotlight chooses the first action when the query changes, before the persons have arrived: when they
  // come, the first row (the best match) is chosen again, so Enter opens what is on top.
  useEffect(() => {
    if (!personsFor?.items.length) return;
    const frame = window.requestAnimationFrame(() => {
      const list = document.querySelector('.mantine-Spotlight-actionsList');
      const first = list?.querySelector('[data-action]');
      if (!list || !first) return;
      list.querySelector('[data-selected]')?.removeAttribute('data-selected');
      first.setAttribute('data-selected', 'true');
    });
    return () => window.cancelAnimationFrame(frame);
  }, [personsFor]);
  const personsLoading = canSearch && query.trim().length >= PERSON_MIN_CHARS && !personsFor;

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

  const personActions = useMemo<SpotlightActionData[]>(
    () =>
      (personsFor?.items ?? []).map((h) => ({
        id: `person-${h.id}`,
        label: `${listName(h)}${h.preferredName && h.preferredName !== h.givenName ? ` (${h.preferredName})` : ''}`,
        description: [
          h.identity?.display ?? h.reserveNumber ?? t('identity.none'),
          h.birthDate && !h.identity ? `${t('person.born')} ${formatDate(h.birthDate, lang)}` : null,
          h.place ? [h.place.unitName, h.place.groupName].filter(Boolean).join(' · ') : null,
        ]
          .filter(Boolean)
          .join(' · '),
        group: t('palette.group.persons'),
        leftSection: <IconPerson size={18} />,
        rightSection: (
          <span className="k-option-tags">
            {h.protected && <ProtectedTag />}
            {h.place && <PlaceTag place={h.place} />}
          </span>
        ),
        onClick: () => navigate({ name: 'person', id: h.id }),
        'data-testid': 'palette-person',
      })),
    [personsFor, t, lang],
  );

  const allActions = useMemo(() => [...actions, ...personActions], [actions, personActions]);
  const navGroup = t('palette.group.navigate');
  // Exact and prefix matches of a screen's name first (lib/paletteRank.ts), then persons, then the rest;
  // the groups follow their best action.
  const filter = useMemo<SpotlightFilterFunction>(
    () =>
      (q, data) => {
        const flat = data.flatMap((d): SpotlightActionData[] => ('actions' in d ? d.actions.map((x) => ({ ...x, group: d.group })) : [d]));
        const rankable = flat.map((x): Rankable & { x: SpotlightActionData } => ({
          x,
          id: x.id,
          label: x.label ?? '',
          name: x.group === navGroup ? screenName(x.label ?? '', navGroup) : undefined,
          description: x.description,
          keywords: Array.isArray(x.keywords) ? x.keywords : typeof x.keywords === 'string' ? [x.keywords] : [],
          person: x.id.startsWith('person-'),
        }));
        const groups = new Map<string, SpotlightActionData[]>();
        const out: (SpotlightActionData | SpotlightActionGroupData)[] = [];
        for (const { x } of rank(q, rankable)) {
          const g = x.group ?? '';
          let list = groups.get(g);
          if (!list) {
            groups.set(g, (list = []));
            out.push({ group: g, actions: list });
          }
          list.push(x);
        }
        return out;
      },
    [navGroup],
  );

  return (
    <Spotlight
      actions={allActions}
      filter={filter}
      // A description (a person's number and place) readable on white and on the chosen row (AA contrast):
      // Mantine dims it to a grey that fails on white and fades it to 70 % on the blue.
      styles={{ actionDescription: { opacity: 1, color: 'var(--action-description-color, var(--k-text-soft))' } }}
      onQueryChange={setQuery}
      // A dialog's focus return may still be watching (a dialog closed a moment ago): the palette's input
      // keeps the focus Ctrl+K gave it.
      onSpotlightOpen={stopFocusReturn}
      shortcut={null}
      // No opening animation: the input must have focus at once, or a clerk who types straight after
      // Ctrl+K loses the first keystrokes.
      transitionProps={{ duration: 0 }}
      nothingFound={personsLoading ? t('palette.persons.loading') : personsFor?.failed ? t('palette.persons.failed') : t('palette.nothing')}
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
