using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Peregrine.Domain.Persistence.Migrations
{
    /// <summary>
    /// Emails are stored normalised (trimmed, lower-case) however a user row is written — sign-up, an admin's
    /// GraphQL insert or update, plain SQL — by a BEFORE trigger, and a unique index on the normalised form
    /// backs it, so <c>Ada@Example.com</c> and <c>ada@example.com</c> can never be two accounts. Rows already
    /// there are normalised; if two of them differ only in case or spaces the migration stops and names them
    /// (merging accounts is an operator's decision). TOTP secrets get the id of the key that encrypted them.
    /// </summary>
    public partial class AccountHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "totp_secret_key_id",
                table: "auth_user_settings",
                type: "text",
                nullable: true);

            migrationBuilder.Sql("""
                DO $$
                DECLARE clash text;
                BEGIN
                  SELECT string_agg(n, ', ') INTO clash FROM (
                    SELECT lower(btrim(email)) AS n FROM users GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 5) d;
                  IF clash IS NOT NULL THEN
                    RAISE EXCEPTION 'users holds emails that differ only in case or surrounding spaces (%): merge or rename them, then migrate again', clash;
                  END IF;
                END $$;

                CREATE OR REPLACE FUNCTION peregrine_normalize_user_email() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.email := lower(btrim(NEW.email));
                  RETURN NEW;
                END $$;

                CREATE TRIGGER peregrine_normalize_email BEFORE INSERT OR UPDATE OF email ON users
                  FOR EACH ROW EXECUTE FUNCTION peregrine_normalize_user_email();

                UPDATE users SET email = email WHERE email <> lower(btrim(email));

                CREATE UNIQUE INDEX users_email_normalized_key ON users (lower(btrim(email)));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS users_email_normalized_key;
                DROP TRIGGER IF EXISTS peregrine_normalize_email ON users;
                DROP FUNCTION IF EXISTS peregrine_normalize_user_email();
                """);

            migrationBuilder.DropColumn(
                name: "totp_secret_key_id",
                table: "auth_user_settings");
        }
    }
}
