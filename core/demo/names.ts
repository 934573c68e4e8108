/** Name and place lists for synthetic demo data. Common names, combined at random: no real person is described. */
export const SE = {
  female: ['Alice', 'Maja', 'Vera', 'Elsa', 'Alma', 'Selma', 'Astrid', 'Ella', 'Wilma', 'Ebba', 'Freja', 'Olivia', 'Saga', 'Agnes', 'Clara', 'Signe', 'Stella', 'Ellen', 'Ines', 'Lilly', 'Anna', 'Eva', 'Karin', 'Maria', 'Kristina', 'Lena', 'Sara', 'Emma', 'Johanna', 'Linnéa', 'Anna-Karin', 'Åsa', 'Märta', 'Sofia', 'Hanna', 'Ida', 'Matilda', 'Nora', 'Leah', 'Amira', 'Fatima', 'Zeynep', 'Yasmin'],
  male: ['William', 'Noah', 'Hugo', 'Liam', 'Lucas', 'Oscar', 'Elias', 'Adam', 'Alexander', 'Nils', 'Charlie', 'Otto', 'Leo', 'Vincent', 'Ludvig', 'Theo', 'Harry', 'Arvid', 'Erik', 'Lars', 'Karl', 'Anders', 'Johan', 'Per', 'Mikael', 'Jonas', 'Fredrik', 'Magnus', 'Björn', 'Gösta', 'Åke', 'Mohammed', 'Ali', 'Omar', 'Yusuf', 'Emil', 'Axel', 'Isak', 'Viktor'],
  family: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Olofsson', 'Lindström', 'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström', 'Lundberg', 'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund', 'Fredriksson', 'Sandberg', 'Henriksson', 'Östlund', 'Åberg', 'Söderberg', 'Ekström', 'Sjöberg', 'Wallin', 'Engström', 'Holm', 'Nyström', 'Forsberg', 'Öberg', 'Håkansson', 'Dahlgren', 'Ali', 'Mohammed', 'Hussein', 'Yilmaz', 'Nguyen', 'Kowalski', 'Virtanen'],
  streets: ['Storgatan', 'Skolgatan', 'Kyrkogatan', 'Björkvägen', 'Ekvägen', 'Granvägen', 'Tallvägen', 'Parkvägen', 'Ängsvägen', 'Sjövägen', 'Åsgatan', 'Järnvägsgatan', 'Södra vägen', 'Norra Långgatan', 'Rönnbärsstigen', 'Lärkvägen'],
  unitPrefixes: ['Solrosen', 'Ekbacken', 'Björkhagen', 'Lövängen', 'Granbacka', 'Tallåsen', 'Rönnen', 'Älvdalen', 'Sjöängen', 'Ängsbacken', 'Hagaberg', 'Kvarnbacken', 'Lärkan', 'Vitsippan', 'Blåklinten', 'Fjällsippan', 'Ugglan', 'Nyckelpigan', 'Myran', 'Trollskogen'],
  departments: ['Blåbäret', 'Lingonet', 'Hallonet', 'Smultronet', 'Ekorren', 'Igelkotten', 'Räven', 'Ugglan', 'Fjärilen', 'Nyckelpigan'],
  municipality: { name: 'Ekdala kommun', code: '9901' },
  city: 'Ekdala',
  postal: (n: number) => `${String(100 + (n % 800)).padStart(3, '0')} ${String(10 + (n % 90)).padStart(2, '0')}`,
  administrations: ['Förskoleförvaltningen', 'Grundskoleförvaltningen', 'Gymnasie- och vuxenutbildningsförvaltningen'],
  mother: ['sv', 'sv', 'sv', 'sv', 'sv', 'sv', 'ar', 'so', 'fi', 'fa', 'pl', 'en', 'ti', 'bs'],
  nationality: ['SE', 'SE', 'SE', 'SE', 'SE', 'SE', 'SE', 'SY', 'SO', 'FI', 'PL', 'IQ', 'AF', 'ER'],
};

export const NO = {
  female: ['Nora', 'Emma', 'Ella', 'Olivia', 'Sofie', 'Leah', 'Frida', 'Ingrid', 'Sara', 'Maja', 'Astrid', 'Hedda', 'Tiril', 'Sunniva', 'Ragnhild', 'Kari', 'Anne', 'Inger', 'Marit', 'Liv', 'Solveig', 'Åse', 'Bjørg', 'Hanne', 'Kristin', 'Silje', 'Ida', 'Amina', 'Zahra', 'Mari'],
  male: ['Jakob', 'Emil', 'Noah', 'Oliver', 'Filip', 'William', 'Lucas', 'Henrik', 'Aksel', 'Magnus', 'Sander', 'Tobias', 'Mathias', 'Ola', 'Per', 'Jan', 'Bjørn', 'Knut', 'Lars', 'Ole', 'Håkon', 'Øyvind', 'Ståle', 'Eirik', 'Jonas', 'Mohammed', 'Ali', 'Ahmed', 'Isak', 'Trygve'],
  family: ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen', 'Johnsen', 'Pettersen', 'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen', 'Jacobsen', 'Dahl', 'Jørgensen', 'Halvorsen', 'Henriksen', 'Lund', 'Sørensen', 'Jakobsen', 'Moen', 'Gundersen', 'Iversen', 'Strand', 'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Bakken', 'Kristoffersen', 'Mathisen', 'Lie', 'Amundsen', 'Nguyen', 'Rasmussen', 'Ali', 'Berntsen', 'Sæther', 'Hægeland', 'Økland', 'Ødegård', 'Aas', 'Khan'],
  streets: ['Storgata', 'Skolegata', 'Kirkeveien', 'Bjørkeveien', 'Eikeveien', 'Granveien', 'Furuveien', 'Parkveien', 'Engveien', 'Sjøgata', 'Åsveien', 'Jernbanegata', 'Søndre gate', 'Nordre gate', 'Rognebærstien', 'Lerkeveien'],
  unitPrefixes: ['Solsikken', 'Eikelia', 'Bjørkelund', 'Løvåsen', 'Granly', 'Furuhaugen', 'Rognan', 'Elvebakken', 'Sjøly', 'Engsletta', 'Haugen', 'Kvernhuset', 'Lerka', 'Hvitveisen', 'Blåklokka', 'Fjellsiden', 'Ugla', 'Marihøna', 'Maurtua', 'Trollskogen'],
  departments: ['Blåbær', 'Tyttebær', 'Bringebær', 'Markjordbær', 'Ekornet', 'Pinnsvinet', 'Reven', 'Ugla', 'Sommerfuglen', 'Marihøna'],
  municipality: { name: 'Eikvik kommune', code: '9902' },
  city: 'Eikvik',
  postal: (n: number) => String(1000 + (n % 8000)).padStart(4, '0'),
  administrations: ['Barnehageetaten', 'Utdanningsetaten'],
  mother: ['nb', 'nb', 'nb', 'nb', 'nb', 'nb', 'nn', 'ar', 'so', 'pl', 'ur', 'ti', 'en'],
  nationality: ['NO', 'NO', 'NO', 'NO', 'NO', 'NO', 'NO', 'PL', 'SO', 'SY', 'PK', 'ER', 'SE'],
};
