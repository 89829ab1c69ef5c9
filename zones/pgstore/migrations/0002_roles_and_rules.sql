-- Roles, grants and the rules the server enforces whatever the client does.
--   wztax_officer  录入: read the projects, enter and change parcels, store results, append to the log
--   wztax_reviewer 复核: everything an officer does, and mark parcels reviewed
--   wztax_admin    create projects and change the four-eyes setting
-- Logins are members of these (README, "Shared project store (PostgreSQL)").
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wztax_officer') THEN
        CREATE ROLE wztax_officer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wztax_reviewer') THEN
        CREATE ROLE wztax_reviewer NOLOGIN IN ROLE wztax_officer;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wztax_admin') THEN
        CREATE ROLE wztax_admin NOLOGIN IN ROLE wztax_reviewer;
    END IF;
END $$;

GRANT USAGE ON SCHEMA wztax TO wztax_officer;
GRANT SELECT ON ALL TABLES IN SCHEMA wztax TO wztax_officer;
GRANT INSERT, UPDATE, DELETE ON wztax.parcel, wztax.result, wztax.result_piece TO wztax_officer;
GRANT INSERT, UPDATE ON wztax.setting TO wztax_officer;
-- the log: INSERT only — no UPDATE, DELETE or TRUNCATE for any application role
GRANT INSERT ON wztax.audit TO wztax_officer;
GRANT USAGE ON SEQUENCE wztax.audit_id_seq TO wztax_officer;
GRANT INSERT, UPDATE, DELETE ON wztax.project, wztax.zoneset_grade TO wztax_admin;
GRANT DELETE ON wztax.setting TO wztax_admin;
GRANT USAGE ON SEQUENCE wztax.project_id_seq TO wztax_admin;

-- The log's writer is the login, not what the client claims.
CREATE FUNCTION wztax.audit_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.login := current_user;
    NEW.logged_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER audit_login BEFORE INSERT ON wztax.audit FOR EACH ROW EXECUTE FUNCTION wztax.audit_login();

-- Version, last 录入 and the review rules (复核 by a reviewer, in their own name; four eyes).
CREATE FUNCTION wztax.parcel_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    four_eyes boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
        NEW.last_entry_by := current_user;
    ELSE
        NEW.version := OLD.version + 1;
        IF NEW.geom IS DISTINCT FROM OLD.geom OR NEW.attrs IS DISTINCT FROM OLD.attrs THEN
            NEW.last_entry_by := current_user;
        ELSE
            NEW.last_entry_by := OLD.last_entry_by;
        END IF;
    END IF;
    NEW.changed_by := current_user;
    NEW.changed_at := now();
    IF NEW.review_by <> '' AND (TG_OP = 'INSERT' OR NEW.review_by IS DISTINCT FROM OLD.review_by
                                OR NEW.review_at IS DISTINCT FROM OLD.review_at) THEN
        -- a copied project keeps its reviews (an admin's import); a new review is the login's own
        IF TG_OP = 'INSERT' AND pg_has_role(current_user, 'wztax_admin', 'MEMBER') THEN
            RETURN NEW;
        END IF;
        IF NOT pg_has_role(current_user, 'wztax_reviewer', 'MEMBER') THEN
            RAISE EXCEPTION 'wztax: % is not a reviewer (复核) and cannot mark parcel % reviewed', current_user, NEW.uid
                USING ERRCODE = 'WZ002';
        END IF;
        IF NEW.review_by <> current_user THEN
            RAISE EXCEPTION 'wztax: a review of parcel % is in the name of the login (%), not %', NEW.uid, current_user, NEW.review_by
                USING ERRCODE = 'WZ002';
        END IF;
        SELECT coalesce(value::jsonb = 'true'::jsonb, false) INTO four_eyes
            FROM wztax.setting WHERE project_id = NEW.project_id AND key = 'four_eyes';
        IF coalesce(four_eyes, false) AND NEW.last_entry_by = current_user THEN
            RAISE EXCEPTION 'wztax: four-eyes rule: parcel % was last entered by %, who cannot also review it', NEW.uid, current_user
                USING ERRCODE = 'WZ001';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER parcel_guard BEFORE INSERT OR UPDATE ON wztax.parcel FOR EACH ROW EXECUTE FUNCTION wztax.parcel_guard();

-- Only an admin turns the four-eyes rule on or off.
CREATE FUNCTION wztax.setting_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.key = 'four_eyes' AND NOT pg_has_role(current_user, 'wztax_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'wztax: only an administrator changes the four-eyes setting' USING ERRCODE = 'WZ002';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER setting_guard BEFORE INSERT OR UPDATE ON wztax.setting FOR EACH ROW EXECUTE FUNCTION wztax.setting_guard();

-- Other clients learn of changes (LISTEN wztax_changes): one message per changed parcel,
-- or one "many" message for a bulk statement (an import of thousands).
CREATE FUNCTION wztax.parcel_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    r record;
BEGIN
    SELECT count(*) INTO n FROM changed_rows;
    IF n > 200 THEN
        FOR r IN SELECT DISTINCT project_id FROM changed_rows LOOP
            PERFORM pg_notify('wztax_changes', json_build_object('project', r.project_id, 'op', lower(TG_OP),
                              'uid', NULL, 'count', n, 'by', current_user)::text);
        END LOOP;
    ELSE
        FOR r IN SELECT project_id, uid, version FROM changed_rows LOOP
            PERFORM pg_notify('wztax_changes', json_build_object('project', r.project_id, 'op', lower(TG_OP),
                              'uid', r.uid, 'version', r.version, 'by', current_user)::text);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER parcel_notify_ins AFTER INSERT ON wztax.parcel REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.parcel_notify();
CREATE TRIGGER parcel_notify_upd AFTER UPDATE ON wztax.parcel REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.parcel_notify();
CREATE TRIGGER parcel_notify_del AFTER DELETE ON wztax.parcel REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.parcel_notify();
