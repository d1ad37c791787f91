export const DONOR_TYPES = ['government', 'eu', 'private', 'un', 'pooled', 'other'] as const;
export type DonorType = (typeof DONOR_TYPES)[number];

export const CONTRIBUTION_STATUSES = ['pledged', 'paid', 'cancelled'] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];
