/**
 * Swedish messages of languages and labels (merged into sv.ts): identity numbers named by kind and, when
 * foreign, by country; grade names per school form (förskoleklass is never "årskurs 0").
 */
export const langSv = {
  'idName.se_personnummer': 'Personnummer',
  'idName.se_samordningsnummer': 'Samordningsnummer',
  'idName.no_fodselsnummer': 'Fødselsnummer',
  'idName.no_d_nummer': 'D-nummer',
  'idName.no_h_nummer': 'H-nummer',
  'idName.no_synthetic': 'Syntetiskt testnummer',
  /** A number of another country than the municipality's (or the language's): "Fødselsnummer (NO)". */
  'idName.withCountry': '{{name}} ({{country}})',
  'grade.fklass': 'Förskoleklass',
  'grade.fklass.short': 'F',
  'grade.year': 'Årskurs {{grade}}',
  'grade.year.short': 'åk {{grade}}',
  'grade.vg': 'Vg{{grade}}',
  'grade.vg.short': 'Vg{{grade}}',
  /** The group picker's second line: "Klass · Grundskola · Årskurs 3 · 2026/27". */
  'groupPicker.detail': '{{kind}} · {{form}} · {{year}}',
  'groupPicker.detailGrade': '{{kind}} · {{form}} · {{grade}} · {{year}}',
} as const;
