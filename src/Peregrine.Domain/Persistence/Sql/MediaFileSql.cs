namespace Peregrine.Domain.Persistence.Sql;

/// <summary>
/// Database-side rules of the media pipeline, applied by the MediaFiles migration. A <c>phenom_media</c> row
/// that names a <c>file_id</c> takes its <c>url</c> and <c>thumbnail_url</c> from the file, whatever the client
/// sent, and only a validated file may be named: the rule holds for every writer (API, admin, plain SQL).
/// Who may name which file is the role's insert check (permissions.json), evaluated in the same statement.
/// </summary>
public static class MediaFileSql
{
    public const string Up = """
        CREATE OR REPLACE FUNCTION peregrine_media_from_file() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE f record;
        BEGIN
          IF NEW.file_id IS NULL THEN RETURN NEW; END IF;
          SELECT status, url, thumbnail_url INTO f FROM files WHERE id = NEW.file_id;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'file % does not exist', NEW.file_id USING ERRCODE = '23503';
          END IF;
          IF f.status <> 'valid' OR f.url IS NULL THEN
            RAISE EXCEPTION 'file % is not a validated upload (status %)', NEW.file_id, f.status USING ERRCODE = '23514';
          END IF;
          NEW.url := f.url;
          NEW.thumbnail_url := f.thumbnail_url;
          RETURN NEW;
        END $$;

        CREATE TRIGGER phenom_media_from_file BEFORE INSERT OR UPDATE OF file_id, url, thumbnail_url ON phenom_media
          FOR EACH ROW EXECUTE FUNCTION peregrine_media_from_file();

        SELECT peregrine_enable_change_capture('files');
        """;

    public const string Down = """
        DROP TRIGGER IF EXISTS phenom_media_from_file ON phenom_media;
        DROP FUNCTION IF EXISTS peregrine_media_from_file();
        """;
}
