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
    finished_at timestamp not null,
    sender_kind varchar,            -- who sent it (SPEC §2.1): department / town / village / school
    sender_code varchar,
    sender_name varchar,            -- as the file names it, when no registry unit matched
    mapping_hash varchar,           -- the office mapping (xiaoan mapping file) the file was read under
    rules_hash varchar              -- and the rules file: a file is the same file only under both
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
    district_name varchar not null, principal varchar,
    district_code varchar            -- SPEC §2: 区代码, the 6-digit administrative code (optional)
);
-- A warehouse created before 区代码 gains the column here (raw.sql runs before every load).
alter table raw_district add column if not exists district_code varchar;

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
    found_date date not null, found_by_code varchar, responsible_dept_code varchar,
    deadline date not null, measures varchar, status varchar not null,
    rectified_date date, closed_date date, report_date date not null,
    -- SPEC §2.1/§2.2: who is responsible (department / town / village / school) and its code;
    -- the member unit's code stays in responsible_dept_code (null for another kind).
    responsible_kind varchar, responsible_code varchar, responsible_person varchar,
    supervision varchar, notice_no varchar, extended_deadline date,
    verifier varchar, verified_date date, verification varchar,
    derived varchar[],              -- the fields this row did not type (SPEC §2.1), e.g. [hazard_id, category]
    verification_column boolean     -- SPEC §2.2: the row's sheet has a 验收结果 column (closed_unverified is judged only then)
);

create table if not exists raw_inspections (
    ingest_id integer not null, sheet_index integer not null, sheet varchar, "row" integer not null,
    inspection_id varchar, inspection_date date not null, dept_code varchar,
    school_code varchar not null, town_code varchar not null, inspection_type varchar not null,
    category varchar, inspectors varchar, hazards_found integer, score double,
    -- who inspected: a member unit (dept_code too), a town, a village, or the school itself (a self-check)
    inspector_kind varchar, inspector_code varchar, self_check boolean,
    derived varchar[]
);

create table if not exists raw_meetings (
    ingest_id integer not null, sheet_index integer not null, sheet varchar, "row" integer not null,
    meeting_id varchar, title varchar, meeting_type varchar not null, level varchar not null,
    town_code varchar, meeting_date date not null, chair varchar, attendees varchar,
    attendee_codes varchar[], topics varchar, decisions integer,
    derived varchar[],              -- e.g. [meeting_type, level] when inferred (SPEC §2.1)
    invited varchar, invited_codes varchar[]  -- SPEC §3 v2: 应到单位 (a 专题会议's invited units), as typed and resolved
);

-- A ledger sheet with its header and no data rows, or a line 无隐患 / 本月无新增隐患 (SPEC §2.1).
create table if not exists raw_zero_reports (
    ingest_id integer not null, sheet_index integer not null, sheet varchar,
    kind varchar not null,          -- hazards / inspections / meetings
    sender_kind varchar, sender_code varchar, report_month date not null  -- the month's first day
);

-- What was loaded but deserves a look (an attendee that looks like a unit and is not in the
-- registry, a questionnaire row whose sense depends on the question …): not rejections.
create table if not exists raw_warnings (
    ingest_id integer not null, sheet varchar, "row" integer, "column" varchar,
    message varchar not null, value varchar
);

create table if not exists warehouse_meta (key varchar primary key, value varchar);
