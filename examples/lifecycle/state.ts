/** State shared by the lifecycle hooks and every session (a module loads once per server). */
export const stats = { started: "", sessions_created: 0, sessions_open: 0 }
