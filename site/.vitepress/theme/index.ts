// VitePress's default theme, plus the course outline for the landing page and the styles for
// the kit's figures (tables and charts made at build time from results files).
import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import CourseOutline from './CourseOutline.ts';
import '../../../bench/charts/charts.css';
import './custom.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('CourseOutline', CourseOutline);
  },
};

export default theme;
