// The course outline on the landing page: every lesson the sidebar lists (made from the files
// in lessons/, see site/sidebar.ts), in order, with its description when its frontmatter has
// one. Written as a render function so it type-checks with the rest of the repo.

import { defineComponent, h } from 'vue';
import { useData, withBase } from 'vitepress';
import type { Lesson } from '../../sidebar.ts';

export default defineComponent({
  name: 'CourseOutline',
  setup() {
    const { theme } = useData<{ course: readonly Lesson[] }>();
    return () =>
      theme.value.course.length === 0
        ? h('p', 'No lesson pages yet: each lessons/NN-slug.md appears here and in the sidebar when it is added.')
        : h(
        'ol',
        { class: 'course-outline' },
        theme.value.course.map((lesson) =>
          h('li', { key: lesson.slug }, [
            h('span', { class: 'course-number' }, lesson.number),
            h('a', { href: withBase(`${lesson.link}.html`) }, lesson.title),
            lesson.description === undefined ? null : h('p', lesson.description),
          ]),
        ),
      );
  },
});
