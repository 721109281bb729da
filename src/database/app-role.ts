/**
 * The PostgreSQL role the application's queries run as. It owns no table: it reads and writes rows,
 * appends to the audit tables, and can neither disable their triggers nor delete from them. Migrations
 * create it (NOLOGIN) and grant it; the application's connections take it with `SET ROLE` at connect
 * (the startup option `role`), so the login in DATABASE_URL must be the owner or a member of it.
 * In production the login should be a member only (see README, "Database roles").
 */
export const APP_ROLE = 'bangfu_app';
