-- Raw tables: every accepted row of every file, as loaded, never updated.
-- Only the staging models read them.

create table if not exists raw_ingest_log (
    ingest_id   integer not null,   -- one per file offered, in processing order
    batch_id    varchar not null,   -- one per `xiaoan ingest` run
    file        varchar not null,   -- the file's name as sent
    sha256      varchar not null,   -- content hash: the same content is never loaded twice
    kind        varchar,            -- registry / hazards / inspections / meetings (several: joined by +)
    status      varchar not null,   -- loaded / duplicate / rejected (a path that is no file: rejected, sha256 '')
    rows_in     integer not null,
    loaded      integer not null,
    skipped     integer not null,
    rejected    integer not null,
    message     varchar,
    report_date date,               -- the report date that rows without 填报日期 received
    started_at  timestamp not null,
    finished_at timestamp not null
);

create table if not exists raw_rejected_rows (
    ingest_id integer not null,
    file      varchar not null,
    sheet     varchar,
    "row"     integer,
    "column"  varchar,
    reason    varchar not null,
    raw       varchar
);

create table if not exists raw_district (
    ingest_id integer not null, sheet_index integer not null, "row" integer not null,
    district_name varchar not null, principal varchar
);

create table if not exists raw_towns (
    ingest_id integer not null, sheet_index integer not null, "row" integer not null,
    town_code varchar not null, town_name varchar not null, principal varchar
);

create table if not exists raw_villages (
    ingest_id integer not null, sheet_index integer not null, "row" integer not null,
    village_code varchar not null, village_name varchar not null, town_code varchar not null, principal varchar
);

create table if not exists raw_schools (
    ingest_id integer not null, sheet_index integer not null, "row" integer not null,
    school_code varchar not null, school_name varchar not null, school_type varchar not null,
    ownership varchar, town_code varchar not null, village_code varchar,
    students integer, lat double, lon double
);

create table if not exists raw_departments (
    ingest_id integer not null, sheet_index integer not null, "row" integer not null,
    dept_code varchar not null, dept_name varchar not null, member varchar, liaison varchar, phone varchar
);

create table if not exists raw_hazard_reports (
    ingest_id integer not null, sheet_index integer not null, sheet varchar, "row" integer not null,
    hazard_id varchar not null, school_code varchar not null, town_code varchar not null,
    category varchar not null, level varchar not null, description varchar,
    found_date date not null, found_by_code varchar, responsible_dept_code varchar not null,
    deadline date not null, measures varchar, status varchar not null,
    rectified_date date, closed_date date, report_date date not null
);

create table if not exists raw_inspections (
    ingest_id integer not null, sheet_index integer not null, sheet varchar, "row" integer not null,
    inspection_id varchar, inspection_date date not null, dept_code varchar not null,
    school_code varchar not null, town_code varchar not null, inspection_type varchar not null,
    category varchar, inspectors varchar, hazards_found integer, score double
);

create table if not exists raw_meetings (
    ingest_id integer not null, sheet_index integer not null, sheet varchar, "row" integer not null,
    meeting_id varchar, title varchar, meeting_type varchar not null, level varchar not null,
    town_code varchar, meeting_date date not null, chair varchar, attendees varchar,
    attendee_codes varchar[], topics varchar, decisions integer
);

create table if not exists warehouse_meta (key varchar primary key, value varchar);
