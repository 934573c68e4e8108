/**
 * Pick the child of an application by typing part of a name or an identity number: the app's own search
 * (search.query, persons only), narrowed to children. Keyboard: type, ↑/↓, Enter picks; Esc closes the
 * list only (Mantine marks the open input, so the dialog does not take that Esc as "cancel").
 */
import { CloseButton, Combobox, Loader, TextInput, useCombobox } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ProtectedTag } from '../../components/Tags';
import { useApi } from '../../lib/api';
import { formatDate, listName } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { childHits, type ChildChoice } from '../../lib/office';
import { useSession } from '../../lib/session';
import type { PersonSummary } from '../../lib/domain';

const MIN_CHARS = 2;
const DEBOUNCE_MS = 120;
/** Few enough to show without a scrolling list (narrow the search instead). */
const LIMIT = 10;

export function ChildPicker(props: { label: string; value: ChildChoice | null; onChange: (c: ChildChoice | null) => void; error?: ReactNode; name?: string; description?: ReactNode; autoFocus?: boolean; id?: string; testId?: string }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [query, setQuery] = useState(props.value?.label ?? '');
  const [hits, setHits] = useState<PersonSummary[]>([]);
  const [state, setState] = useState<'idle' | 'short' | 'loading' | 'ready' | 'error'>('idle');
  const seq = useRef(0);

  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    // The chosen child's own label is not a new search.
    if (props.value && q === props.value.label) return;
    if (q.length < MIN_CHARS) {
      setHits([]);
      setState(q ? 'short' : 'idle');
      return;
    }
    setState('loading');
    const timer = window.setTimeout(() => {
      api.tryCall('search.query', { q, limit: LIMIT, types: ['person'] }).then((r) => {
        if (mine !== seq.current) return;
        if (!r.ok) return setState('error');
        setHits(childHits(r.data.items, session.today));
        setState('ready');
        combobox.updateSelectedOptionIndex();
      });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
    // combobox is a stable store; props.value only silences the echo of a pick
  }, [api, query, session.today]);

  const pick = (p: PersonSummary) => {
    const c: ChildChoice = { id: p.id, label: listName(p), birthDate: p.birthDate, protected: p.protected };
    props.onChange(c);
    setQuery(c.label);
    combobox.closeDropdown();
  };

  const status =
    state === 'short' ? t('queue.create.childShort') : state === 'loading' ? t('common.loading') : state === 'error' ? t('queue.create.childFailed') : state === 'ready' && hits.length === 0 ? t('queue.create.childNone') : null;

  return (
    <Combobox
      store={combobox}
      withinPortal
      onOptionSubmit={(id) => {
        const p = hits.find((h) => h.id === id);
        if (p) pick(p);
      }}
    >
      {/* role="combobox" and aria-expanded: a screen reader then announces the list of hits as one. */}
      <Combobox.Target withExpandedAttribute>
        <TextInput
          id={props.id}
          label={props.label}
          description={props.description}
          error={props.error}
          data-field={props.name}
          required
          autoFocus={props.autoFocus}
          data-autofocus={props.autoFocus ? true : undefined}
          value={query}
          autoComplete="off"
          spellCheck={false}
          data-testid={props.testId}
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            if (props.value) props.onChange(null);
            combobox.openDropdown();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          rightSection={
            state === 'loading' ? (
              <Loader size={16} />
            ) : query ? (
              <CloseButton
                size="sm"
                aria-label={t('queue.create.childClear')}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  setQuery('');
                  props.onChange(null);
                }}
              />
            ) : null
          }
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={state === 'idle' || (!!props.value && query.trim() === props.value.label)}>
        <Combobox.Options aria-label={props.label} data-testid={props.testId ? `${props.testId}-options` : undefined}>
          {hits.map((p) => (
            <Combobox.Option value={p.id} key={p.id} data-testid="child-option">
              <div>
                <strong style={{ fontWeight: 600 }}>{listName(p)}</strong> {p.protected && <ProtectedTag />}
              </div>
              <div style={{ fontSize: 12 }}>
                <span className="k-mono">{p.identity?.display ?? p.reserveNumber ?? ''}</span>
                {p.birthDate ? ` · ${formatDate(p.birthDate, lang)}` : ''}
              </div>
            </Combobox.Option>
          ))}
          {status && <Combobox.Empty>{status}</Combobox.Empty>}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
