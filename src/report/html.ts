const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Candidates' answers are untrusted: every text and attribute goes through this. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** Anchor ids from names people chose: readable, and unique within the page. */
export function createAnchorIds(prefix: string) {
  const used = new Set<string>();
  const assigned = new Map<string, string>();
  return (name: string): string => {
    const known = assigned.get(name);
    if (known) return known;
    const base = `${prefix}-${
      name
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'x'
    }`;
    let id = base;
    for (let suffix = 2; used.has(id); suffix += 1) id = `${base}-${suffix}`;
    used.add(id);
    assigned.set(name, id);
    return id;
  };
}

/** Scales ("/ 20") print as they are; scores always with `digits` decimals so columns line up. */
export function formatNumber(value: number, digits = 1): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

export function formatScore(value: number): string {
  return value.toFixed(1);
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
