/**
 * ISO code lists for the nationality and mother-tongue pickers. Names come from Intl.DisplayNames
 * in the active language, so the lists need no translation of their own.
 */
import type { Lang } from '../../../shared/i18n';
import { countryName, languageName, LOCALES } from './format';

// ISO 3166-1 alpha-2, officially assigned codes.
const COUNTRY_CODES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'.split(' ');

// Languages a Nordic school office meets, ISO 639-1 where one exists, else 639-3 (the register's
// modersmål codes). Includes the Sámi languages and the Swedish/Norwegian national minority languages.
const LANGUAGE_CODES =
  'sv nb nn no da fi is fo en de fr es it pt nl pl lt lv et ru uk be ro bg hu cs sk sl hr bs sr sq mk el tr ku ckb kmr ar fa prs ps ur hi pa bn ta te si ne so ti am om sw yo ig ha zu xh af tl th vi zh yue ja ko km my mn kk uz ky tg tk az ka hy he yi rom rmy se sma smj smn sms fit fkv ase sgn'.split(' ');

const PRIORITY_COUNTRIES = ['SE', 'NO', 'DK', 'FI'];
const PRIORITY_LANGUAGES = ['sv', 'nb', 'nn', 'en'];

export interface CodeOption {
  value: string;
  label: string;
}

const cache = new Map<string, CodeOption[]>();

function build(kind: 'country' | 'language', lang: Lang): CodeOption[] {
  const key = `${kind}:${lang}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const codes = kind === 'country' ? COUNTRY_CODES : LANGUAGE_CODES;
  const priority = kind === 'country' ? PRIORITY_COUNTRIES : PRIORITY_LANGUAGES;
  const nameOf = kind === 'country' ? countryName : languageName;
  const collator = new Intl.Collator(LOCALES[lang]);
  const opts = codes.map((c) => ({ value: c, label: `${nameOf(c, lang)} (${c})` }));
  const first = priority.map((p) => opts.find((o) => o.value === p)).filter((o): o is CodeOption => !!o);
  const rest = opts.filter((o) => !priority.includes(o.value)).sort((a, b) => collator.compare(a.label, b.label));
  const out = [...first, ...rest];
  cache.set(key, out);
  return out;
}

/** Options for a picker; a stored code not in the list is kept (shown as itself) rather than lost. */
export function countryOptions(lang: Lang, current?: string | null): CodeOption[] {
  const list = build('country', lang);
  return current && !list.some((o) => o.value === current) ? [{ value: current, label: current }, ...list] : list;
}
export function languageOptions(lang: Lang, current?: string | null): CodeOption[] {
  const list = build('language', lang);
  return current && !list.some((o) => o.value === current) ? [{ value: current, label: current }, ...list] : list;
}
