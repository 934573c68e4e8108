/**
 * A calm, dense theme: one deep blue, neutral greys, system fonts (nothing fetched at run time).
 * Every text/background pair used here clears WCAG AA (4.5:1); Mantine's default "dimmed" grey
 * (3.3:1 on white) is darkened for that reason.
 */
import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

const kansli: MantineColorsTuple = [
  '#eef4fa',
  '#dbe6f2',
  '#b4cbe3',
  '#8aaed3',
  '#6794c5',
  '#5084bd',
  '#437bb9',
  '#2f64a0',
  '#255890',
  '#174b80',
];

export const theme = createTheme({
  primaryColor: 'kansli',
  primaryShade: { light: 7, dark: 5 },
  colors: { kansli },
  fontFamily: '"Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  fontFamilyMonospace: '"Cascadia Mono", "SFMono-Regular", Consolas, "Liberation Mono", monospace',
  headings: { fontFamily: '"Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, "Noto Sans", sans-serif', fontWeight: '600' },
  defaultRadius: 'sm',
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    // Hints go under the field, so the inputs of a row line up whatever the hints' lengths.
    TextInput: { defaultProps: { size: 'sm', inputWrapperOrder: ['label', 'input', 'description', 'error'] } },
    NativeSelect: { defaultProps: { size: 'sm', inputWrapperOrder: ['label', 'input', 'description', 'error'] } },
    Select: { defaultProps: { inputWrapperOrder: ['label', 'input', 'description', 'error'] } },
    PasswordInput: { defaultProps: { size: 'sm', inputWrapperOrder: ['label', 'input', 'description', 'error'] } },
    Textarea: { defaultProps: { size: 'sm', inputWrapperOrder: ['label', 'input', 'description', 'error'] } },
    NumberInput: { defaultProps: { size: 'sm', inputWrapperOrder: ['label', 'input', 'description', 'error'] } },
    Button: { defaultProps: { size: 'sm' } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#6c737a',
    '--mantine-color-body': '#ffffff',
    // Mantine's red.6 error text is 3.3:1 on white; this is 6.6:1.
    '--mantine-color-error': '#b02525',
    // Light alerts/badges print their text in the colour's shade 6 (below 4.5:1); use darker ones.
    '--mantine-color-red-light-color': '#a61b1b',
    '--mantine-color-orange-light-color': '#8a3c00',
    '--mantine-color-green-light-color': '#1f6b35',
  },
  dark: {},
});
