import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtInScenarioDir, builtInScenarioPath, listBuiltInScenarios, resolveScenarioRef } from './builtIns';

describe('built-in scenarios', () => {
  it('lists exactly the YAML files on disk', () => {
    const files = readdirSync(builtInScenarioDir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect([...listBuiltInScenarios()].sort()).toEqual(files.sort());
    for (const name of listBuiltInScenarios()) expect(existsSync(builtInScenarioPath(name))).toBe(true);
  });

  it.each(listBuiltInScenarios())('%s starts with a comment header saying what it exercises', (name) => {
    const text = readFileSync(builtInScenarioPath(name), 'utf8');
    expect(text.startsWith(`# ${name} — `)).toBe(true);
    expect(text).toMatch(/^# Exercises/m);
  });

  it('reads an argument with "/" or a YAML extension as a path', () => {
    expect(resolveScenarioRef('./mine')).toEqual({ right: { kind: 'path', path: './mine' }, _tag: 'Right' });
    expect(resolveScenarioRef('quickstart.yaml')).toEqual({ right: { kind: 'path', path: 'quickstart.yaml' }, _tag: 'Right' });
    expect(resolveScenarioRef('x.yml')).toEqual({ right: { kind: 'path', path: 'x.yml' }, _tag: 'Right' });
  });

  it('reads anything else as a built-in name', () => {
    expect(resolveScenarioRef('byzantine')).toEqual({ _tag: 'Right', right: { kind: 'builtIn', name: 'byzantine', path: builtInScenarioPath('byzantine') } });
  });

  it('refuses an unknown name, listing the built-ins', () => {
    expect(resolveScenarioRef('quickstrat')).toEqual({
      _tag: 'Left',
      left: 'unknown scenario "quickstrat" (did you mean "quickstart"?); built-in scenarios: quickstart, khala-day, gatekeeper-rotation, worker-churn, byzantine (or give a path to a .yaml file)',
    });
  });

  it('lists the built-ins without a guess when nothing is close', () => {
    expect(resolveScenarioRef('zzz')).toEqual({ _tag: 'Left', left: expect.stringMatching(/^unknown scenario "zzz"; built-in scenarios: quickstart, /) });
  });
});
