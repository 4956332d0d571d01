/** What GET /logout does: expire the ALB session cookies, then redirect (e.g. to the IdP's logout) or answer 200. */
export interface LogoutSettings {
  deleteSessionCookie: boolean;
  redirectUrl: string | null;
}

/**
 * A port: where the logout settings come from when they are not fixed in AlbAuthModule's options
 * (UserSync provides its admin-editable settings here). AlbAuth alone uses its options.
 */
export abstract class LogoutSettingsSource {
  abstract logoutSettings(): Promise<LogoutSettings>;
}
