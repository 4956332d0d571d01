import type { LoginPlan } from './login-plan';

/** POST /connectors/:id/preview's answer: the plan as the admin sees it. */
export function toPreview(plan: LoginPlan) {
  return {
    user: plan.user ?? null,
    groups: plan.groups,
    access: plan.access,
    decision: plan.decision,
    ...(plan.refusal && { reason: { code: plan.refusal.code, message: plan.refusal.reason } }),
    changes: plan.changes,
    groupsAdded: plan.groupsAdded,
    groupsRemoved: plan.groupsRemoved,
    groupsProtected: plan.groupsProtected,
    warnings: plan.warnings,
  };
}

export type LoginPreview = ReturnType<typeof toPreview>;
