// The roles a caller of the JobRun surface can hold. Each includes the ones before it: an operator may
// do everything a reader may, and also terminate.

/** The roles, weakest first. */
export const ROLES = ["reader", "operator"] as const;

/** What a caller may do: read (get, list), or also change (terminate). */
export type Role = (typeof ROLES)[number];

/** Whether `value` names a role. */
export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** Whether a caller holding `held` may call a method that needs `needed`. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
