/**
 * Global search: one combobox (ARIA 1.2 pattern) that searches as you type.
 * In the header its listbox is a popup; on the search screen the same box sits in the page and its
 * listbox is always shown below it. Only one of the two inputs exists at a time (id `global-search`),
 * so `/` and Ctrl+F always reach the right one.
 */
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { PersonPlace } from '../../../shared/api/schemas';
import { useApi, useQuery } from '../lib/api';
import type { SearchHit } from '../lib/domain';
import { formatDate, listName, schoolYearLabel } from '../lib/format';
import { useT } from '../lib/i18n';
import { navigate, useRoute, type Route } from '../lib/router';
import { useSession } from '../lib/session';
import { IconGroup, IconPerson, IconSearch, IconUnit } from './icons';
import { NeutralTag, ProtectedTag, RoleTags, StatusTag } from './Tags';

export const SEARCH_INPUT_ID = 'global-search';
const DEBOUNCE_MS = 80;
const MIN_CHARS = 2;
const POPUP_LIMIT = 10;
const PAGE_LIMIT = 100;
const NO_HITS: SearchHit[] = [];

export function focusSearch(): void {
  const el = document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;
  if (el) {
    el.focus();
    el.select();
  }
}

export function hitRoute(hit: SearchHit): Route {
  if (hit.type === 'person') return { name: 'person', id: hit.id };
  if (hit.type === 'unit') return { name: 'unit', id: hit.id };
  return { name: 'group', id: hit.id };
}

type Status = 'idle' | 'short' | 'loading' | 'ready' | 'error';
interface SearchState {
  query: string;
  setQuery: (q: string) => void;
  items: SearchHit[];
  more: boolean;
  status: Status;
  /** The query the items answer (may lag `query` while a search is under way). */
  answered: string;
  limit: number;
  setLimit: (n: number) => void;
}
const Ctx = createContext<SearchState | null>(null);

export function SearchProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const route = useRoute();
  const [query, setQueryState] = useState(route.name === 'search' ? route.q : '');
  const [limit, setLimit] = useState(POPUP_LIMIT);
  const [result, setResult] = useState<{ q: string; limit: number; items: SearchHit[]; more: boolean } | null>(null);
  const [status, setStatus] = useState<Status>('idle');
  const seq = useRef(0);

  // The search screen's URL carries the query, so a reload or Back shows the same hits.
  const routeQ = route.name === 'search' ? route.q : null;
  useEffect(() => {
    if (routeQ !== null) setQueryState((cur) => (cur === routeQ ? cur : routeQ));
  }, [routeQ]);

  const setQuery = useCallback((q: string) => {
    setQueryState(q);
    if (window.location.hash.startsWith('#/search') || window.location.hash === '' || window.location.hash === '#/') {
      navigate({ name: 'search', q }, { replace: true });
    }
  }, []);

  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (q.length < MIN_CHARS) {
      setStatus(q.length === 0 ? 'idle' : 'short');
      setResult(null);
      return;
    }
    if (result && result.q === q && result.limit >= limit) {
      setStatus('ready');
      return;
    }
    setStatus('loading');
    const timer = window.setTimeout(() => {
      api.call('search.query', { q, limit }).then(
        (r) => {
          // A slower answer to an older query must never replace a newer one.
          if (mine !== seq.current) return;
          setResult({ q, limit, items: r.items, more: r.more });
          setStatus('ready');
        },
        () => {
          if (mine !== seq.current) return;
          setStatus('error');
        },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
    // `result` is read only to skip a refetch; listing it would loop.
  }, [api, query, limit]);

  const value = useMemo<SearchState>(
    () => ({
      query,
      setQuery,
      items: result?.items.slice(0, limit) ?? [],
      more: (result?.more ?? false) || (result?.items.length ?? 0) > limit,
      status,
      answered: result?.q ?? '',
      limit,
      setLimit,
    }),
    [query, setQuery, result, status, limit],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

function useSearch(): SearchState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSearch outside SearchProvider');
  return s;
}

/**
 * The combobox. `variant="header"`: compact, popup listbox. `variant="page"`: large, listbox inline.
 */
export function SearchBox({ variant }: { variant: 'header' | 'page' }) {
  const { t } = useT();
  const s = useSearch();
  const session = useSession();
  const listboxId = useId().replace(/:/g, '') + '-results';
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const isPage = variant === 'page';
  const { setLimit } = s;

  useEffect(() => {
    setLimit(isPage ? PAGE_LIMIT : POPUP_LIMIT);
  }, [isPage, setLimit]);

  const hasQuery = s.query.trim().length > 0;
  // The search screen's start page (an empty box): the persons this user opened last on this workstation,
  // as the same options, so ↓ and Enter work as on hits.
  const showRecent = isPage && !hasQuery && session.can('register.read');
  const recent = useQuery('search.recent', showRecent ? {} : null);
  const recentItems = recent.data?.items;
  const items = useMemo(() => (showRecent ? (recentItems ?? NO_HITS) : s.items), [showRecent, recentItems, s.items]);

  // Reset the highlighted option whenever the hits change.
  useEffect(() => setActive(-1), [items]);

  const showAll = !isPage && s.status === 'ready' && (s.more || s.items.length >= POPUP_LIMIT);
  const optionCount = items.length + (showAll ? 1 : 0);
  const expanded = isPage ? true : open && hasQuery;
  const optionId = (i: number) => `${listboxId}-opt-${i}`;

  const openHit = (hit: SearchHit) => {
    setOpen(false);
    navigate(hitRoute(hit));
  };
  const openAll = () => {
    setOpen(false);
    navigate({ name: 'search', q: s.query.trim() });
  };
  const choose = (i: number) => {
    const hit = items[i];
    if (hit) openHit(hit);
    else if (showAll && i === items.length) openAll();
  };

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!expanded) setOpen(true);
        if (optionCount) setActive((a) => Math.min(a + 1, optionCount - 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (optionCount) setActive((a) => Math.max(a - 1, -1));
        break;
      case 'PageDown':
        if (optionCount) {
          e.preventDefault();
          setActive((a) => Math.min(a + 10, optionCount - 1));
        }
        break;
      case 'PageUp':
        if (optionCount) {
          e.preventDefault();
          setActive((a) => Math.max(a - 10, 0));
        }
        break;
      case 'Enter':
        e.preventDefault();
        if (active >= 0) choose(active);
        else if (isPage && s.items[0] && s.answered === s.query.trim()) openHit(s.items[0]);
        else if (!isPage && hasQuery) openAll();
        break;
      case 'Escape':
        if (!isPage && open && hasQuery) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          setActive(-1);
        } else if (hasQuery) {
          e.preventDefault();
          e.stopPropagation();
          s.setQuery('');
        } else {
          // An empty box lets go of the focus, so letter shortcuts (G then P …) work again.
          e.preventDefault();
          e.currentTarget.blur();
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  const listbox = (
    <SearchResults
      id={listboxId}
      label={showRecent ? t('search.recent.title') : t('search.results')}
      items={items}
      active={active}
      optionId={optionId}
      onChoose={choose}
      onHover={setActive}
      showAll={showAll}
      query={s.query.trim()}
    />
  );

  return (
    <div className={isPage ? 'k-search k-search-page' : 'k-search'} data-testid={`search-${variant}`}>
      <label htmlFor={SEARCH_INPUT_ID} className={isPage ? undefined : 'k-search-label'} style={isPage ? { display: 'block', fontWeight: 600, marginBottom: 6 } : undefined}>
        {t('search.label')}
      </label>
      <div style={{ position: 'relative' }}>
        <span className="k-search-icon" style={isPage ? { top: 12 } : undefined}>
          <IconSearch size={isPage ? 20 : 16} />
        </span>
        <input
          ref={inputRef}
          id={SEARCH_INPUT_ID}
          className="k-search-input"
          style={isPage ? { height: 44, fontSize: 16, paddingLeft: 38, borderColor: '#8a96a3' } : undefined}
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listboxId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && expanded ? optionId(active) : undefined}
          aria-describedby={`${listboxId}-hint`}
          autoComplete="off"
          spellCheck={false}
          placeholder={t('search.placeholder')}
          value={s.query}
          onChange={(e) => {
            s.setQuery(e.target.value);
            setOpen(true);
          }}
          onFocus={() => {
            if (hasQuery) setOpen(true);
          }}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
      </div>
      <span id={`${listboxId}-hint`} className="k-search-label">
        {t('search.hint')}
      </span>
      {isPage ? (
        <div style={{ marginTop: 12 }}>
          {showRecent ? (
            <div data-testid="recent-persons">
              <h2 className="k-section-title" style={{ marginTop: 8 }}>
                {t('search.recent.title')}
              </h2>
              <div className="k-search-status" style={{ paddingLeft: 0 }}>
                {recent.error ? t('search.recent.failed') : recent.data && recent.data.items.length === 0 ? t('search.recent.empty') : recent.data ? t('search.recent.hint') : ''}
              </div>
            </div>
          ) : (
            <SearchStatus status={s.status} count={s.items.length} more={s.more} query={s.query.trim()} />
          )}
          <div className="k-section" style={{ padding: 0, marginTop: 8, display: items.length ? undefined : 'none' }}>
            {listbox}
          </div>
        </div>
      ) : (
        expanded && (
          <div className="k-search-popup" data-testid="search-popup">
            <SearchStatus status={s.status} count={s.items.length} more={s.more} query={s.query.trim()} />
            {listbox}
            {s.items.length > 0 && (
              <div className="k-search-footer" aria-hidden="true">
                <span>
                  <kbd>↑</kbd> <kbd>↓</kbd> {t('search.footer.choose')}
                </span>
                <span>
                  <kbd>Enter</kbd> {t('search.footer.open')}
                </span>
                <span>
                  <kbd>Esc</kbd> {t('search.footer.close')}
                </span>
              </div>
            )}
          </div>
        )
      )}
    </div>
  );
}

function SearchStatus({ status, count, more, query }: { status: Status; count: number; more: boolean; query: string }) {
  const { t } = useT();
  let text = '';
  if (status === 'short') text = t('search.status.short');
  else if (status === 'loading') text = t('search.status.loading');
  else if (status === 'error') text = t('search.status.error');
  else if (status === 'ready') text = count === 0 ? t('search.status.none', { query }) : more ? t('search.status.more', { count }) : t('search.status.count', { count });
  // Polite live region: screen-reader users hear the hit count without losing their place.
  return (
    <div role="status" aria-live="polite" className="k-search-status" style={status === 'ready' && count > 0 ? { paddingBottom: 2, fontSize: 13 } : undefined}>
      {text}
    </div>
  );
}

function SearchResults(props: {
  id: string;
  label: string;
  items: SearchHit[];
  active: number;
  optionId: (i: number) => string;
  onChoose: (i: number) => void;
  onHover: (i: number) => void;
  showAll: boolean;
  query: string;
}) {
  const { t } = useT();
  return (
    <ul className="k-listbox" role="listbox" id={props.id} aria-label={props.label}>
      {props.items.map((hit, i) => (
        <li
          key={`${hit.type}-${hit.id}`}
          id={props.optionId(i)}
          role="option"
          aria-selected={i === props.active}
          className="k-option"
          data-testid="search-hit"
          // mousedown, not click: keep focus in the input so the combobox stays coherent
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => props.onChoose(i)}
          onMouseMove={() => {
            if (props.active !== i) props.onHover(i);
          }}
        >
          <HitView hit={hit} />
        </li>
      ))}
      {props.showAll && (
        <li
          id={props.optionId(props.items.length)}
          role="option"
          aria-selected={props.active === props.items.length}
          className="k-option"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => props.onChoose(props.items.length)}
        >
          <span className="k-option-icon">
            <IconSearch size={16} />
          </span>
          <span className="k-option-main">
            <span className="k-option-title">{t('search.showAll', { query: props.query })}</span>
          </span>
        </li>
      )}
    </ul>
  );
}

/** What the place is (enrolled, placed, in the queue …), and its date when it starts later or ends on notice. */
export function PlaceTag({ place }: { place: PersonPlace }) {
  const { t, lang } = useT();
  const date = (d: string | null) => formatDate(d, lang);
  let text: string | null;
  if (place.status === 'upcoming') text = t('search.place.upcoming', { date: date(place.from) });
  else if (place.status === 'notice_given') text = t('search.place.notice_given', { date: date(place.to) });
  else if (place.status === 'offered') text = t('search.place.offered');
  else if (place.status === 'queued') text = t('search.place.queued');
  else text = place.kind === 'enrolment' ? t('search.place.enrolled') : place.kind === 'placement' ? t('search.place.placed') : null;
  if (!text) return null;
  return <span className={`k-tag ${place.status === 'notice_given' ? 'k-tag-warn' : 'k-tag-neutral'}`}>{text}</span>;
}

function HitView({ hit }: { hit: SearchHit }) {
  const { t, lang } = useT();
  if (hit.type === 'person') {
    return (
      <>
        <span className="k-option-icon">
          <IconPerson size={18} />
        </span>
        <span className="k-option-main">
          <span className="k-option-title">
            {listName(hit)}
            {hit.preferredName && hit.preferredName !== hit.givenName ? ` (${hit.preferredName})` : ''}
          </span>
          <span className="k-option-sub">
            <span className="k-mono">{hit.identity?.display ?? hit.reserveNumber ?? t('identity.none')}</span>
            {hit.birthDate && (
              <span>
                {t('person.born')} <span className="k-num">{formatDate(hit.birthDate, lang)}</span>
              </span>
            )}
            {hit.place && (
              <span className="k-option-place" data-testid="hit-place">
                {hit.place.unitName}
                {hit.place.groupName && <strong> · {hit.place.groupName}</strong>}
              </span>
            )}
          </span>
        </span>
        <span className="k-option-tags">
          {hit.protected && <ProtectedTag />}
          <StatusTag status={hit.status} />
          {hit.place && <PlaceTag place={hit.place} />}
          <RoleTags roles={hit.roles} />
        </span>
      </>
    );
  }
  if (hit.type === 'unit') {
    return (
      <>
        <span className="k-option-icon">
          <IconUnit size={18} />
        </span>
        <span className="k-option-main">
          <span className="k-option-title">{hit.name}</span>
          <span className="k-option-sub">
            <span>{t('search.type.unit')}</span>
            {hit.code && <span className="k-mono">{hit.code}</span>}
          </span>
        </span>
        <span className="k-option-tags">
          {hit.schoolForms.map((f) => (
            <NeutralTag key={f}>{t(`schoolForm.${f}.short`)}</NeutralTag>
          ))}
        </span>
      </>
    );
  }
  return (
    <>
      <span className="k-option-icon">
        <IconGroup size={18} />
      </span>
      <span className="k-option-main">
        <span className="k-option-title">{hit.name}</span>
        <span className="k-option-sub">
          <span>{t('search.type.group')}</span>
          <span>{hit.unitName}</span>
          <span className="k-num">{schoolYearLabel(hit.schoolYear)}</span>
        </span>
      </span>
    </>
  );
}
