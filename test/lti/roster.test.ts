// Part 5 of LTI: an instructor launch carrying the NRPS claim fills the class with the
// course's active learners (every page of the roster), before any of them launches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextLink } from '../../server/lti/roster.ts';
import { INSTRUCTOR, ISSUER, LEARNER } from './fake-platform.ts';
import { launch, startRig, type Rig } from './tool.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('roster sync (NRPS)', () => {
  it('adds the active learners of every roster page to the class, not instructors or inactive members', async () => {
    rig.platform.roster.push(
      { user_id: 'r-ann', roles: [LEARNER], status: 'Active', name: 'Ann' },
      { user_id: 'r-bob', roles: [LEARNER], name: 'Bob' },
      { user_id: 'r-teacher', roles: [INSTRUCTOR], status: 'Active', name: 'Teach' },
      { user_id: 'r-gone', roles: [LEARNER], status: 'Inactive', name: 'Gone' },
      { user_id: 'r-cy', roles: [LEARNER], status: 'Active', name: 'Cy' },
    );
    const { landing } = await launch(rig, { sub: 'r-teacher', roles: [INSTRUCTOR], contextId: 'roster-course', custom: { exercise: 'clusterip-basics' }, nrps: true });
    const classId = Number(/\/instructor\/classes\/(\d+)$/.exec(landing)![1]);
    expect(rig.t.db.classes.members(classId).map((m) => m.displayName)).toEqual(['Ann', 'Bob', 'Cy']);
    // A rostered learner's own launch later reaches the same account.
    await launch(rig, { sub: 'r-ann', roles: [LEARNER], contextId: 'roster-course', custom: { exercise: 'clusterip-basics' } });
    expect(rig.t.db.users.list().filter((u) => u.externalKey === `lti:${ISSUER}#r-ann`)).toHaveLength(1);
    expect(rig.t.db.classes.members(classId)).toHaveLength(3);
  });

  it('reads the next page from the Link header', () => {
    expect(nextLink('<https://lms.example/m?p=2>; rel="next", <https://lms.example/m?p=9>; rel="last"')).toBe('https://lms.example/m?p=2');
    expect(nextLink('<https://lms.example/m?p=9>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
