-- 0003: what a district-sized project needs to open and to store assess-all quickly, the
-- boundary points' names, and the login as the only identity the server records.

-- The result's flag codes (";"-joined) and key (the figures a review approves) beside its JSON,
-- as the project file keeps them: the map and the review read them without parsing 100,000
-- result JSONs. NULL in rows of earlier versions: made from the JSON when first needed.
ALTER TABLE wztax.result ADD COLUMN flags text, ADD COLUMN key text;

-- 点号 as typed or imported (JSON list, zones/point_names.py; '' = none), as the project file keeps them.
ALTER TABLE wztax.parcel ADD COLUMN point_names text NOT NULL DEFAULT '';

-- The log's login and time: by column grants instead of a per-row trigger (a trigger call per event
-- was most of the server's time storing assess-all's 100,000 events). The application's roles may
-- INSERT only the event's own columns; login and logged_at always take their defaults
-- (current_user, now()) — a client naming a login is refused.
DROP TRIGGER audit_login ON wztax.audit;
DROP FUNCTION wztax.audit_login();
REVOKE INSERT ON wztax.audit FROM wztax_officer;
GRANT INSERT (project_id, "when", who, uid, kind, what, old, new) ON wztax.audit TO wztax_officer;
-- the log in order within a project (one parcel's events are numbered by their place in the project's
-- log): the primary key serves, so storing an event updates two indexes, not three
ALTER TABLE wztax.audit DROP CONSTRAINT audit_pkey, ADD PRIMARY KEY (project_id, id);

-- A review (复核) is recorded in the name of the login that makes it, whatever name the client sends;
-- the four-eyes rule compares that login with the parcel's last 录入 login.
CREATE OR REPLACE FUNCTION wztax.parcel_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    four_eyes boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
        NEW.last_entry_by := current_user;
    ELSE
        NEW.version := OLD.version + 1;
        IF NEW.geom IS DISTINCT FROM OLD.geom OR NEW.attrs IS DISTINCT FROM OLD.attrs
                OR NEW.point_names IS DISTINCT FROM OLD.point_names THEN
            NEW.last_entry_by := current_user;
        ELSE
            NEW.last_entry_by := OLD.last_entry_by;
        END IF;
    END IF;
    NEW.changed_by := current_user;
    NEW.changed_at := now();
    IF NEW.review_by <> '' AND (TG_OP = 'INSERT' OR NEW.review_by IS DISTINCT FROM OLD.review_by
                                OR NEW.review_at IS DISTINCT FROM OLD.review_at
                                OR NEW.review_result IS DISTINCT FROM OLD.review_result) THEN
        -- a copied project keeps its reviews (an admin's import); a new review is the login's own
        IF TG_OP = 'INSERT' AND pg_has_role(current_user, 'wztax_admin', 'MEMBER') THEN
            RETURN NEW;
        END IF;
        IF NOT pg_has_role(current_user, 'wztax_reviewer', 'MEMBER') THEN
            RAISE EXCEPTION 'wztax: % is not a reviewer (复核) and cannot mark parcel % reviewed', current_user, NEW.uid
                USING ERRCODE = 'WZ002';
        END IF;
        NEW.review_by := current_user;
        SELECT coalesce(value::jsonb = 'true'::jsonb, false) INTO four_eyes
            FROM wztax.setting WHERE project_id = NEW.project_id AND key = 'four_eyes';
        IF coalesce(four_eyes, false) AND NEW.last_entry_by = current_user THEN
            RAISE EXCEPTION 'wztax: four-eyes rule: parcel % was last entered by %, who cannot also review it', NEW.uid, current_user
                USING ERRCODE = 'WZ001';
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- The bulk tables (the log, results, grade pieces) check their project once per statement instead
-- of a foreign-key check per row (100,000 of them per assess-all: a third of the server's time).
-- Same guarantees: a row names an existing project, locked against deletion meanwhile (KEY SHARE,
-- as the foreign key locks it); deleting a project deletes its rows.
ALTER TABLE wztax.audit DROP CONSTRAINT audit_project_id_fkey;
ALTER TABLE wztax.result DROP CONSTRAINT result_project_id_fkey;
ALTER TABLE wztax.result_piece DROP CONSTRAINT result_piece_project_id_fkey;

-- (as the schema's owner: locking the project row needs more than the officer's SELECT, as the foreign key's check had)
CREATE FUNCTION wztax.rows_name_a_project() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    wanted integer;
    found integer;
BEGIN
    SELECT count(DISTINCT project_id) INTO wanted FROM new_rows;
    SELECT count(*) INTO found FROM (SELECT 1 FROM wztax.project
        WHERE id IN (SELECT DISTINCT project_id FROM new_rows) FOR KEY SHARE) p;
    IF found <> wanted THEN
        RAISE EXCEPTION 'wztax: a row of % names a project that does not exist', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_project AFTER INSERT ON wztax.audit REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.rows_name_a_project();
CREATE TRIGGER result_project AFTER INSERT ON wztax.result REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.rows_name_a_project();
CREATE TRIGGER result_project_upd AFTER UPDATE ON wztax.result REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.rows_name_a_project();
CREATE TRIGGER result_piece_project AFTER INSERT ON wztax.result_piece REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.rows_name_a_project();
CREATE TRIGGER result_piece_project_upd AFTER UPDATE ON wztax.result_piece REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.rows_name_a_project();

-- as ON DELETE CASCADE did; the log is append-only for every application role, so the project's
-- owner (the DBA) deletes it
CREATE FUNCTION wztax.project_rows_go() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM wztax.audit WHERE project_id IN (SELECT id FROM old_rows);
    DELETE FROM wztax.result WHERE project_id IN (SELECT id FROM old_rows);
    DELETE FROM wztax.result_piece WHERE project_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER project_rows_go AFTER DELETE ON wztax.project REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION wztax.project_rows_go();
