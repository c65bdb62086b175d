// The resident's answers for one certificate, checked against what the registry offered: a
// choice among its choices, members among the household list it sent, a person in the 戸籍, and
// never an item issued at the counter only (個人番号). Anything else is refused before the registry.
import type { CatalogOption } from './ports.js';
import type { OptionValue } from './machine/types.js';

/** Is the option asked, given the other answers (`when`: only while another option has a value)? */
export function optionAsked(o: CatalogOption, answers: Record<string, OptionValue>): boolean {
  return !o.when || answers[o.when.option] === o.when.equals;
}

function valueFits(o: CatalogOption, v: OptionValue): boolean {
  const ids = new Set((o.people ?? []).map((p) => p.id));
  switch (o.kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'choice':
    case 'fiscalYear':
      return (typeof v === 'string' || typeof v === 'number') && (o.choices ?? []).includes(String(v));
    case 'members':
      return Array.isArray(v) && v.length > 0 && new Set(v).size === v.length && v.every((id) => ids.has(id));
    case 'person':
      return typeof v === 'string' && ids.has(v);
    case 'counterOnly':
      return false;
  }
}

/** The answers fit the catalog: known options only, each value allowed, people asked for answered. */
export function optionsValid(catalog: CatalogOption[], answers: Record<string, OptionValue>): boolean {
  const byId = new Map(catalog.map((o) => [o.id, o]));
  for (const [id, v] of Object.entries(answers)) {
    const o = byId.get(id);
    if (!o || !optionAsked(o, answers) || !valueFits(o, v)) return false;
  }
  return catalog.every(
    (o) => !(o.kind === 'members' || o.kind === 'person') || !optionAsked(o, answers) || o.id in answers,
  );
}
