/**
 * Pick a person from the register by typing part of a name or an identity number (search.query, the
 * same search as the header). Protected persons are marked; the list shows birth date and number so
 * namesakes can be told apart. Keyboard as in UnitPicker.
 */
import { Select, type ComboboxItem } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useApi } from '../../lib/api';
import type { SearchHit } from '../../lib/domain';
import { formatDate, listName } from '../../lib/format';
import { useT } from '../../lib/i18n';

type PersonHit = Extract<SearchHit, { type: 'person' }>;

export interface PersonPickerProps {
  label: string;
  value: string | null;
  onChange: (personId: string | null, hit: PersonHit | null) => void;
  /** Persons not to offer (the card's own person, members already listed). */
  exclude?: readonly string[];
  error?: ReactNode;
  /** The form field it stands for (the form kit's blur rule reads it). */
  name?: string;
  description?: ReactNode;
  required?: boolean;
  autoFocus?: boolean;
  id?: string;
  testId?: string;
}

const MIN_CHARS = 2;

export function PersonPicker(props: PersonPickerProps) {
  const { t, lang } = useT();
  const api = useApi();
  const [search, setSearch] = useState('');
  const [hits, setHits] = useState<PersonHit[]>([]);
  const [picked, setPicked] = useState<PersonHit | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const q = search.trim();
    const mine = ++seq.current;
    // The search box shows the chosen person's name: that is not a new query.
    if (q.length < MIN_CHARS || (picked && q === labelOf(picked))) {
      setLoading(false);
      return;
    }
    setLoading(true);
    const timer = window.setTimeout(() => {
      void api.tryCall('search.query', { q, limit: 20, types: ['person'] }).then((r) => {
        if (mine !== seq.current) return;
        setLoading(false);
        setHits(r.ok ? r.data.items.filter((h): h is PersonHit => h.type === 'person') : []);
      });
    }, 120);
    return () => window.clearTimeout(timer);
  }, [api, search, picked]);

  const excluded = useMemo(() => new Set(props.exclude ?? []), [props.exclude]);
  const shown = useMemo(() => {
    const list = hits.filter((h) => !excluded.has(h.id));
    if (picked && !list.some((h) => h.id === picked.id)) list.unshift(picked);
    return list;
  }, [hits, excluded, picked]);
  const byId = useMemo(() => new Map(shown.map((h) => [h.id, h])), [shown]);
  const data = useMemo<ComboboxItem[]>(() => shown.map((h) => ({ value: h.id, label: labelOf(h) })), [shown]);

  const q = search.trim();
  const nothing = q.length < MIN_CHARS ? t('care.picker.person.typeMore') : loading ? t('common.loading') : t('care.picker.nothing');
  return (
    <Select
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={(id) => {
        const hit = id ? (byId.get(id) ?? null) : null;
        setPicked(hit);
        props.onChange(id, hit);
      }}
      data={data}
      // The core has already matched (names, numbers in any format); filtering again would hide its hits.
      filter={({ options }) => options}
      searchable
      // Tabbing through a form must not open every list and cover the fields below; typing or ↓ opens it.
      openOnFocus={false}
      searchValue={search}
      onSearchChange={setSearch}
      clearable={!props.required}
      allowDeselect={false}
      required={props.required}
      autoFocus={props.autoFocus}
      data-autofocus={props.autoFocus ? true : undefined}
      error={props.error}
      data-field={props.name}
      description={props.description ?? t('care.picker.person.hint')}
      placeholder={t('care.picker.person.placeholder')}
      nothingFoundMessage={nothing}
      maxDropdownHeight={320}
      comboboxProps={{ withinPortal: true }}
      data-testid={props.testId}
      renderOption={({ option }) => {
        const h = byId.get(option.value);
        return (
          <div>
            <div>
              {option.label}
              {h?.protected ? ` · ${t('protected.badge')}` : ''}
            </div>
            {h && (
              <div style={{ fontSize: 12 }}>
                {h.identity ? h.identity.display : [h.reserveNumber, h.birthDate ? formatDate(h.birthDate, lang) : null].filter(Boolean).join(' · ')}
              </div>
            )}
          </div>
        );
      }}
    />
  );
}

function labelOf(h: PersonHit): string {
  return listName(h);
}
