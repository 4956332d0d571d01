/** Origin of a membership granted by hand (the admin API), as opposed to a connector's id. */
export const MANUAL_ORIGIN = 'manual';
