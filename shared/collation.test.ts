/** Swedish and Norwegian alphabetical order, as the clerks saw it go wrong (issue 10) and as the rules say. */
import { describe, expect, it } from 'vitest';
import { collationKey, compareText, personSortKey, sortByText, type CollationCountry } from './collation';

const sorted = (names: string[], country: CollationCountry) => sortByText(names, (n) => n, country);
const persons = (names: [string, string][], country: CollationCountry) =>
  [...names].sort((a, b) => {
    const ka = personSortKey({ familyName: a[0], givenName: a[1] }, country);
    const kb = personSortKey({ familyName: b[0], givenName: b[1] }, country);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }).map(([f, g]) => `${f}, ${g}`);

describe('Swedish order', () => {
  it('Å Ä Ö come after Z, in that order', () => {
    expect(sorted(['Öberg', 'Zetterberg', 'Åberg', 'Ärlig', 'Olofsson', 'Nyström'], 'SE')).toEqual(['Nyström', 'Olofsson', 'Zetterberg', 'Åberg', 'Ärlig', 'Öberg']);
  });
  it('the pairs the clerks met', () => {
    expect(persons([['Lind', 'Åke'], ['Lind', 'Alexander']], 'SE')).toEqual(['Lind, Alexander', 'Lind, Åke']);
    expect(persons([['Berg', 'Åse'], ['Berg', 'Bjørg']], 'SE')).toEqual(['Berg, Bjørg', 'Berg, Åse']);
    expect(sorted(['Jönsson', 'Jonsson'], 'SE')).toEqual(['Jonsson', 'Jönsson']);
    expect(sorted(['Älvdalens förskola', 'Ängsbackens förskola', 'Björkhagens förskola'], 'SE')).toEqual(['Björkhagens förskola', 'Älvdalens förskola', 'Ängsbackens förskola']);
  });
  it('Ü with Y, Æ with Ä, Ø with Ö; other accents with their letter', () => {
    expect(sorted(['Müller', 'Mylläri', 'Mustonen', 'Myrén'], 'SE')).toEqual(['Mustonen', 'Müller', 'Mylläri', 'Myrén']);
    expect(collationKey('Æbelø', 'SE').split('\u0001')[0]).toBe(collationKey('Äbelö', 'SE').split('\u0001')[0]);
    expect(sorted(['Eriksson', 'Éric', 'Esposito', 'Ekström', 'Erik'], 'SE')).toEqual(['Ekström', 'Éric', 'Erik', 'Eriksson', 'Esposito']);
    expect(sorted(['Łukasz', 'Lundgren', 'Larsson'], 'SE')).toEqual(['Larsson', 'Łukasz', 'Lundgren']);
  });
  it('case and accents decide only between otherwise equal names, always the same way', () => {
    const names = ['de la Cruz', 'De La Cruz', 'Delacroix', 'René', 'Rene', 'rene'];
    const once = sorted(names, 'SE');
    expect(sorted([...names].reverse(), 'SE')).toEqual(once);
    expect(once.indexOf('De La Cruz') - once.indexOf('de la Cruz')).toBe(once.indexOf('De La Cruz') > once.indexOf('de la Cruz') ? 1 : -1);
    expect(once.slice(-3).sort()).toEqual(['Rene', 'René', 'rene'].sort());
    expect(once.indexOf('Delacroix')).toBeGreaterThan(once.indexOf('De La Cruz'));
  });
  it('names in other scripts keep their letters and come after the alphabet, in their own order', () => {
    // Other scripts after Ö, Greek before Cyrillic (by their letters' code points), each in its own order.
    expect(sorted(['Ахмедов', 'Öberg', 'Абрамов', 'Ψαρράς', 'Nguyễn', 'Ngo'], 'SE')).toEqual(['Ngo', 'Nguyễn', 'Öberg', 'Ψαρράς', 'Абрамов', 'Ахмедов']);
    expect(collationKey('Ахмедов', 'SE').split('\u0001')[0]).toBe('ахмедов');
    // A letter with a mark that is not one of the alphabet's own (ů, ő) sorts with its base letter.
    expect(sorted(['Ůlehla', 'Ulrik', 'Uma'], 'SE')).toEqual(['Ůlehla', 'Ulrik', 'Uma']);
  });

  it('words before longer words: a space or a hyphen ends a word', () => {
    expect(sorted(['Annabel', 'Anna-Karin', 'Anna Karin', 'Anna'], 'SE')).toEqual(['Anna', 'Anna Karin', 'Anna-Karin', 'Annabel']);
    expect(persons([['Bergman', 'Ada'], ['Berg', 'Åse']], 'SE')).toEqual(['Berg, Åse', 'Bergman, Ada']);
  });
});

describe('Norwegian order', () => {
  it('Æ Ø Å come after Z, in that order; Ä with Æ, Ö with Ø', () => {
    expect(sorted(['Åsen', 'Ødegård', 'Ærø', 'Zahl', 'Olsen'], 'NO')).toEqual(['Olsen', 'Zahl', 'Ærø', 'Ødegård', 'Åsen']);
    const primary = (n: string) => collationKey(n, 'NO').split('\u0001')[0];
    expect(primary('Äberg')).toBe(primary('Æberg'));
    expect(primary('Öberg')).toBe(primary('Øberg'));
    expect(sorted(['Åberg', 'Öberg', 'Äberg', 'Zakariassen'], 'NO')).toEqual(['Zakariassen', 'Äberg', 'Öberg', 'Åberg']);
    expect(persons([['Berg', 'Åse'], ['Berg', 'Bjørg'], ['Berg', 'Øystein']], 'NO')).toEqual(['Berg, Bjørg', 'Berg, Øystein', 'Berg, Åse']);
  });
  it('the same names, the other country, another order', () => {
    expect(compareText('Åberg', 'Ødegård', 'SE')).toBe(-1);
    expect(compareText('Åberg', 'Ødegård', 'NO')).toBe(1);
  });
});
