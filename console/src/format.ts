// Numbers, money and dates as people read them.
let currencyCode = 'EUR';

/** GraphQL `Long` (money, points) arrives as a string of digits; counts are numbers. */
export type Amount = string | number;

export function num(x: Amount): number {
  return typeof x === 'number' ? x : Number(x);
}

export function setCurrency(code: string): void {
  currencyCode = code;
}

/** Minor units -> "€1,234.50" in the reporting currency (or the one given). */
export function money(minor: Amount | null | undefined, currency: string = currencyCode): string {
  if (minor == null) return '—';
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(num(minor) / 100);
  } catch {
    return `${(num(minor) / 100).toFixed(2)} ${currency}`;
  }
}

/** Whole units, short: "€12.3k". */
export function moneyShort(minor: Amount, currency: string = currencyCode): string {
  try {
    return new Intl.NumberFormat('en-GB', {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(num(minor) / 100);
  } catch {
    return `${Math.round(num(minor) / 100)} ${currency}`;
  }
}

export function percent(x: number | null | undefined, digits = 0): string {
  if (x == null || Number.isNaN(x)) return '—';
  return `${(x * 100).toFixed(digits)} %`;
}

export function count(n: Amount): string {
  return new Intl.NumberFormat('en-GB').format(num(n));
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function daysAgo(iso: string | null | undefined): string {
  if (!iso) return '—';
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 60) return `${days} days ago`;
  const months = Math.round(days / 30.4);
  return months < 24 ? `${months} months ago` : `${Math.round(days / 365)} years ago`;
}

export function words(code: string | null | undefined): string {
  if (!code) return '—';
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
