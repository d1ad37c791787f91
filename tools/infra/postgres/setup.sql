-- Run by tools/infra (src/postgres.ts) against the `postgres` database at every start of
-- PostgreSQL; idempotent.
--
-- Why: FerretDB 1.x's PostgreSQL backend pushes an equality filter down as
--   _jsonb -> 'field' @> '<value>'
-- but indexes a field (the unique `_id` index included) with a btree on (_jsonb -> 'field'),
-- and a btree cannot answer @>. So `{_id: x}` scanned the whole table (27 ms at 20k
-- documents, growing with the collection). A GIN index on the same expression can answer
-- @>: this event trigger gives every single-field index FerretDB creates a GIN twin, so
-- lookups by _id, conditional updates by {_id, version} and {outboxPending: true} use an
-- index (0.04 ms). FerretDB does not know the twins exist (it lists indexes from its own
-- metadata) and PostgreSQL drops them with their table.

CREATE OR REPLACE FUNCTION focus_infra_gin_twin(index_oid oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  expression text;
  target regclass;
  index_name name;
BEGIN
  SELECT pg_get_indexdef(i.indexrelid, 1, false), i.indrelid::regclass, c.relname
    INTO expression, target, index_name
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
   WHERE i.indexrelid = index_oid
     AND am.amname = 'btree'
     AND i.indnatts = 1
     AND i.indkey[0] = 0; -- an expression, not a plain column
  -- Only FerretDB's top-level field indexes, ((_jsonb -> 'name'::text)), on collections
  -- (not on its own _ferretdb_* metadata tables).
  IF expression IS NULL
     OR expression !~ '^\(\(_jsonb -> ''[^'']*''::text\)\)$'
     OR index_name LIKE '\_ferretdb\_%' THEN
    RETURN;
  END IF;
  EXECUTE format(
    'CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s)',
    left(index_name, 59) || '_gin', target, expression
  );
END;
$$;

CREATE OR REPLACE FUNCTION focus_infra_gin_twin_trigger() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  command record;
BEGIN
  FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM focus_infra_gin_twin(command.objid);
  END LOOP;
END;
$$;

DROP EVENT TRIGGER IF EXISTS focus_infra_gin_twin;
CREATE EVENT TRIGGER focus_infra_gin_twin ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION focus_infra_gin_twin_trigger();

-- Indexes created before this trigger existed (a cluster from an earlier version of this file).
SELECT count(focus_infra_gin_twin(i.indexrelid))
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
