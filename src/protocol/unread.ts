/** Unread and mention counts stop at this many: pages show "100+" (counting further would cost a scan). */
export const UNREAD_COUNT_CAP = 100;

/** "3", or "100+" at the cap. */
export function countLabel(count: number): string {
  return count >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP}+` : String(count);
}
