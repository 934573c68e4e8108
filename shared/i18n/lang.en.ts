/** English messages of languages and labels (merged into en.ts); see lang.sv.ts. */
import type { langSv } from './lang.sv';

export const langEn: Record<keyof typeof langSv, string> = {
  'idName.se_personnummer': 'Personal identity number',
  'idName.se_samordningsnummer': 'Coordination number',
  'idName.no_fodselsnummer': 'National identity number',
  'idName.no_d_nummer': 'D number',
  'idName.no_h_nummer': 'H number',
  'idName.no_synthetic': 'Synthetic test number',
  'idName.withCountry': '{{name}} ({{country}})',
  'grade.fklass': 'Preschool class',
  'grade.fklass.short': 'PC',
  'grade.year': 'Year {{grade}}',
  'grade.year.short': 'Y{{grade}}',
  'grade.vg': 'Vg{{grade}}',
  'grade.vg.short': 'Vg{{grade}}',
  'groupPicker.detail': '{{kind}} · {{form}} · {{year}}',
  'groupPicker.detailGrade': '{{kind}} · {{form}} · {{grade}} · {{year}}',
};
