/**
 * The order ARM deploys resources in: each resource's `dependsOn` names others by resource
 * ID, name, symbolic name or copy loop name. Azure refuses a template whose dependencies
 * form a cycle ("Circular dependency detected"); so does the import. A name that matches
 * nothing the template deploys is left alone (it may be a nested deployment).
 */
import { TemplateError } from './errors.js';
import type { ArmResource } from './template.js';

/** The TemplateError of the first dependency cycle among `resources`, or undefined. Throws TemplateError from evaluating a dependsOn. */
export function dependencyCycle(resources: readonly ArmResource[]): TemplateError | undefined {
  const targets = (name: string): ArmResource[] => {
    const k = name.toLowerCase();
    return resources.filter((r) => r.id.toLowerCase() === k || r.name.toLowerCase() === k || r.aliases.some((a) => a.toLowerCase() === k));
  };
  const edges = new Map<ArmResource, ArmResource[]>(resources.map((r) => [r, r.dependsOn().flatMap(targets)]));
  const state = new Map<ArmResource, 'open' | 'done'>();
  const stack: ArmResource[] = [];
  // Iterative depth-first search: a chain of thousands of resources must not exhaust the stack.
  for (const root of resources) {
    if (state.has(root)) continue;
    const work: { r: ArmResource; next: number }[] = [{ r: root, next: 0 }];
    state.set(root, 'open');
    stack.push(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as { r: ArmResource; next: number };
      const out = edges.get(top.r) ?? [];
      if (top.next >= out.length) {
        state.set(top.r, 'done');
        stack.pop();
        work.pop();
        continue;
      }
      const t = out[top.next++] as ArmResource;
      const st = state.get(t);
      if (st === 'open') {
        const cycle = [...stack.slice(stack.indexOf(t)), t].map((r) => `'${r.name}'`);
        return new TemplateError(t.doc, t.offsetOf('dependsOn'), `circular dependency detected: ${cycle.join(' depends on ')}; Azure refuses the deployment (remove one of these dependsOn entries)`);
      }
      if (st === undefined) {
        state.set(t, 'open');
        stack.push(t);
        work.push({ r: t, next: 0 });
      }
    }
  }
  return undefined;
}
