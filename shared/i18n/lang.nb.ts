/** Norwegian (bokmål) messages of languages and labels (merged into nb.ts); see lang.sv.ts. */
import type { langSv } from './lang.sv';

export const langNb: Record<keyof typeof langSv, string> = {
  'idName.se_personnummer': 'Personnummer',
  'idName.se_samordningsnummer': 'Samordningsnummer',
  'idName.no_fodselsnummer': 'Fødselsnummer',
  'idName.no_d_nummer': 'D-nummer',
  'idName.no_h_nummer': 'H-nummer',
  'idName.no_synthetic': 'Syntetisk testnummer',
  'idName.withCountry': '{{name}} ({{country}})',
  'grade.fklass': 'Førskoleklasse',
  'grade.fklass.short': 'F',
  'grade.year': '{{grade}}. trinn',
  'grade.year.short': '{{grade}}. trinn',
  'grade.vg': 'Vg{{grade}}',
  'grade.vg.short': 'Vg{{grade}}',
  'groupPicker.detail': '{{kind}} · {{form}} · {{year}}',
  'groupPicker.detailGrade': '{{kind}} · {{form}} · {{grade}} · {{year}}',
};
