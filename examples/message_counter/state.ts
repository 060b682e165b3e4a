/**
 * Shared application state. The app's main.ts runs once per session, but an imported module loads once
 * per server, so everything here is shared by every session.
 */
export const app_state = { message_count: 0 }
