// The admin token the e2e server is started with (playwright.config.ts): the tests read the
// stored orders and events (GET /api/orders, /api/events) and the funnel page with it.
export const ADMIN_TOKEN = process.env.KAGO_E2E_ADMIN_TOKEN ?? 'kago-e2e-admin-token';
