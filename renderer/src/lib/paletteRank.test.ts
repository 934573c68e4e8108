import { describe, expect, it } from 'vitest';
import { catalogs, LANGUAGES, type MessageId } from '../../../shared/i18n';
import { rank, screenName, type Rankable } from './paletteRank';

/** The palette's navigation and screen commands as CommandPalette builds them, in one language. */
function commands(lang: (typeof LANGUAGES)[number]): Rankable[] {
  const c = catalogs[lang] as Record<MessageId, string>;
  const goTo = c['palette.group.navigate'];
  const ids: MessageId[] = ['palette.goSearch', 'palette.goPersons', 'palette.goOrg', 'rules.palette.go', 'office.palette.goQueue', 'office.palette.goLists', 'office.palette.goRollover', 'intake.palette.go', 'palette.newPerson', 'palette.lock'];
  return ids.map((id) => ({ id, label: c[id], name: screenName(c[id], goTo), keywords: LANGUAGES.map((l) => (catalogs[l] as Record<MessageId, string>)[id]) }));
}

describe('palette ranking', () => {
  it.each([
    ['sv', 'läsår'],
    ['sv', 'lasar'],
    ['sv', 'Läsårsskifte'],
    ['nb', 'skoleår'],
    ['en', 'year'],
  ] as const)('%s: "%s" ranks the year rollover first, the placement rules (which mention it) after', (lang, q) => {
    const r = rank(q, commands(lang)).map((a) => a.id);
    expect(r[0]).toBe('office.palette.goRollover');
    expect(r).toContain('rules.palette.go');
  });

  it('an exact screen name beats a prefix, a prefix beats a word inside, a word beats a fragment', () => {
    const items: Rankable[] = [
      { id: 'fragment', label: 'Gå till Skolstart (intag)' },
      { id: 'word', label: 'Gå till Listor över klasser' },
      { id: 'prefix', label: 'Gå till Klasslistor', name: 'Klasslistor' },
      { id: 'exact', label: 'Gå till Klass', name: 'Klass' },
    ];
    expect(rank('klass', items).map((a) => a.id)).toEqual(['exact', 'prefix', 'word']);
    expect(rank('tag', items).map((a) => a.id)).toEqual(['fragment']);
  });

  it('person hits stay (the core matched them) and come after commands named by the query', () => {
    const items: Rankable[] = [
      { id: 'p1', label: 'Andersson, Anna', person: true },
      { id: 'cmd', label: 'Gå till Personer', name: 'Personer' },
      { id: 'other', label: 'Lås Kansli' },
    ];
    expect(rank('anna', items).map((a) => a.id)).toEqual(['p1']);
    expect(rank('pers', items).map((a) => a.id)).toEqual(['cmd', 'p1']);
  });

  it('finds a command by its label in another language (keywords), after the matches in this one', () => {
    const r = rank('ny person', commands('sv')).map((a) => a.id);
    expect(r).toContain('palette.newPerson');
  });
});
