// Draws the transaction machine as a Mermaid state diagram from its own definition, so the
// picture in docs/transaction.md cannot drift from the code (a test compares them).
import type { StateNode } from 'xstate';
import { transactionMachine } from './transaction.machine.js';

type AnyNode = StateNode<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function id(node: AnyNode): string {
  return node.path.length ? node.path.join('_') : 'kiosk';
}

function label(event: string): string {
  if (event.startsWith('xstate.done.actor.')) return 'done';
  if (event.startsWith('xstate.error.actor.')) return 'error';
  if (event.startsWith('xstate.after.')) return `after ${event.split('.')[2]}`;
  if (event.startsWith('xstate.done.state.')) return 'done';
  return event === '' ? 'always' : event;
}

/** A named guard shows its name; an inline one shows that there is a condition. */
function guardLabel(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  if (typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string')
    return ` [${(guard as { type: string }).type}]`;
  return ' [guarded]';
}

export function toMermaid(): string {
  const lines = ['stateDiagram-v2'];
  const walk = (node: AnyNode, indent: string) => {
    const children = Object.values(node.states) as AnyNode[];
    if (node.path.length && children.length) lines.push(`${indent}state ${id(node)} {`);
    const inner = node.path.length && children.length ? indent + '  ' : indent;
    if (children.length && node.initial) {
      const initial = (node.initial as unknown as { target: readonly AnyNode[] }).target[0];
      if (initial) lines.push(`${inner}[*] --> ${id(initial)}`);
    }
    for (const child of children) {
      if (child.type === 'final') lines.push(`${inner}${id(child)} --> [*]`);
      for (const [event, transitions] of child.transitions) {
        for (const t of transitions)
          for (const target of t.target ?? [])
            lines.push(
              `${inner}${id(child)} --> ${id(target as AnyNode)}: ${label(event)}${guardLabel(t.guard)}`,
            );
      }
      for (const t of child.always ?? [])
        for (const target of t.target ?? [])
          lines.push(`${inner}${id(child)} --> ${id(target as AnyNode)}: always${guardLabel(t.guard)}`);
      walk(child, inner);
    }
    if (node.path.length && children.length) lines.push(`${indent}}`);
  };
  walk(transactionMachine.root as AnyNode, '  ');
  // Transitions of the compound state itself (e.g. the session's onDone).
  return [...new Set(lines)].join('\n') + '\n';
}
