-- The shared project store: several named projects per database, the tables of the
-- GeoPackage project file (zones/project_file.py) with a version per parcel.
-- Run by the database owner (the DBA); the PostGIS extension must exist already.
CREATE SCHEMA IF NOT EXISTS wztax;

CREATE TABLE wztax.project (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL DEFAULT current_user
);

-- The project table of the file: key → JSON text (format, zoneset, period, input_sha256,
-- four_eyes …), kept as text so a round trip returns the very same JSON.
CREATE TABLE wztax.setting (
    project_id  integer NOT NULL REFERENCES wztax.project ON DELETE CASCADE,
    key         text NOT NULL,
    value       text NOT NULL,
    PRIMARY KEY (project_id, key)
);

CREATE TABLE wztax.parcel (
    project_id    integer NOT NULL REFERENCES wztax.project ON DELETE CASCADE,
    uid           text NOT NULL CHECK (uid <> ''),
    position      double precision NOT NULL,
    attrs         jsonb NOT NULL DEFAULT '{}',   -- 税源明细 attribute key → text
    geom          geometry(Geometry, 4549) NOT NULL,
    entered_by    text NOT NULL DEFAULT '',
    review_by     text NOT NULL DEFAULT '',
    review_at     text NOT NULL DEFAULT '',
    review_result text NOT NULL DEFAULT '',
    source        text NOT NULL DEFAULT '',      -- JSON text, '' = none
    import_flags  text NOT NULL DEFAULT '',      -- JSON text, '' = none
    -- optimistic concurrency: every change adds one (trigger); a save names the version it read
    version       integer NOT NULL DEFAULT 1,
    -- who last entered or changed the outline or attributes (录入): the database login (trigger)
    last_entry_by text NOT NULL DEFAULT current_user,
    changed_by    text NOT NULL DEFAULT current_user,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, uid)
);
CREATE INDEX parcel_geom_idx ON wztax.parcel USING gist (geom);

CREATE TABLE wztax.result (
    project_id   integer NOT NULL REFERENCES wztax.project ON DELETE CASCADE,
    uid          text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('current', 'previous')),
    fingerprint  text NOT NULL,
    due          numeric(16, 2) NOT NULL,
    result       text NOT NULL,      -- JSON of the full ParcelResult
    provenance   text NOT NULL,      -- JSON
    PRIMARY KEY (project_id, uid, kind)
);

CREATE TABLE wztax.result_piece (
    project_id  integer NOT NULL REFERENCES wztax.project ON DELETE CASCADE,
    uid         text NOT NULL,
    seq         integer NOT NULL,
    grade       integer NOT NULL,
    geom        geometry(Geometry, 4549) NOT NULL,
    PRIMARY KEY (project_id, uid, seq)
);

-- The audit log: append-only for the application's roles (GRANTs in 0002). ``who`` is the
-- operator the event names (imported logs keep theirs); ``login`` the database login that
-- wrote the row, set by the server whatever the client sends.
CREATE TABLE wztax.audit (
    id          bigserial PRIMARY KEY,
    project_id  integer NOT NULL REFERENCES wztax.project ON DELETE CASCADE,
    "when"      text NOT NULL,
    who         text NOT NULL,
    uid         text NOT NULL,
    kind        text NOT NULL,
    what        text NOT NULL,
    old         text NOT NULL DEFAULT '',
    new         text NOT NULL DEFAULT '',
    login       text NOT NULL DEFAULT current_user,
    logged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_parcel_idx ON wztax.audit (project_id, uid, id);

-- The user zone set embedded in a project (zoneset_grades of the file)
CREATE TABLE wztax.zoneset_grade (
    project_id  integer NOT NULL REFERENCES wztax.project ON DELETE CASCADE,
    seq         integer NOT NULL,
    grade       integer NOT NULL,
    rate        text NOT NULL,
    geom        geometry(Geometry) NOT NULL,
    srid_wkt    text NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, seq)
);
