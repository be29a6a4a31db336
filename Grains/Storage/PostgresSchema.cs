namespace Messaging.Storage;

/// <summary>
/// The PostgreSQL schema, written for this project. Messages are keyed (room, seq) so the
/// database refuses a reused seq; the Orleans tables keep grain state with an optimistic version.
/// </summary>
internal static class PostgresSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS messages (
            room   varchar(128) NOT NULL,
            seq    bigint       NOT NULL,
            sender varchar(256) NOT NULL,
            cid    varchar(128) NULL,
            body   text         NOT NULL,
            ts     bigint       NOT NULL,
            PRIMARY KEY (room, seq)
        );
        CREATE UNIQUE INDEX IF NOT EXISTS messages_room_sender_cid
            ON messages (room, sender, cid) WHERE cid IS NOT NULL;

        CREATE TABLE IF NOT EXISTS orleansquery (
            querykey  varchar(64) PRIMARY KEY,
            querytext text        NOT NULL
        );

        CREATE TABLE IF NOT EXISTS orleansstorage (
            serviceid              varchar(150) NOT NULL,
            graintypestring        varchar(512) NOT NULL,
            grainidn0              bigint       NOT NULL,
            grainidn1              bigint       NOT NULL,
            grainidextensionstring varchar(512) NOT NULL,
            graintypehash          integer      NOT NULL,
            grainidhash            integer      NOT NULL,
            payloadbinary          bytea        NULL,
            version                integer      NOT NULL,
            modifiedon             timestamptz  NOT NULL,
            PRIMARY KEY (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
        );
        """,
        """
        CREATE TABLE IF NOT EXISTS moderation_actions (
            id     bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            room   varchar(128) NOT NULL,
            at     bigint       NOT NULL,
            actor  varchar(256) NOT NULL,
            action varchar(16)  NOT NULL,
            target varchar(256) NOT NULL,
            reason text         NULL
        );
        CREATE INDEX IF NOT EXISTS moderation_actions_room_id ON moderation_actions (room, id);

        CREATE TABLE IF NOT EXISTS private_rooms (
            room       varchar(128) PRIMARY KEY,
            created_at bigint       NOT NULL
        );
        """,
        """
        -- Retention finds old rows by ts. ts grows with insertion order, so a block-range index is
        -- tiny and costs a commit almost nothing, where a B-tree would add a write per message.
        CREATE INDEX IF NOT EXISTS messages_ts ON messages USING brin (ts);
        """,
    ];

    private const string GrainKeyMatches =
        """
        serviceid = @ServiceId AND graintypestring = @GrainTypeString
          AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
          AND grainidextensionstring = COALESCE(@GrainIdExtensionString, '')
        """;

    // Each query answers exactly one row with the new version, or NULL when the expected
    // version did not match: Orleans reads NULL as a conflict (a second activation wrote first).
    public static readonly IReadOnlyDictionary<string, string> OrleansQueries = new Dictionary<string, string>
    {
        ["ReadFromStorageKey"] =
            $"""
            SELECT payloadbinary AS "PayloadBinary", version AS "Version"
            FROM orleansstorage
            WHERE {GrainKeyMatches}
            """,
        ["WriteToStorageKey"] =
            """
            WITH written AS (
                INSERT INTO orleansstorage AS s (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
                                                 graintypehash, grainidhash, payloadbinary, version, modifiedon)
                SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
                       @GrainTypeHash, @GrainIdHash, @PayloadBinary, 1, now()
                WHERE @GrainStateVersion::integer IS NULL
                ON CONFLICT (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring) DO NOTHING
                RETURNING s.version
            ), updated AS (
                UPDATE orleansstorage
                SET payloadbinary = @PayloadBinary, version = version + 1, modifiedon = now()
                WHERE @GrainStateVersion::integer IS NOT NULL AND version = @GrainStateVersion::integer
                  AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
                  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
                  AND grainidextensionstring = COALESCE(@GrainIdExtensionString, '')
                RETURNING version
            )
            SELECT COALESCE((SELECT version FROM written), (SELECT version FROM updated)) AS "NewGrainStateVersion"
            """,
        ["ClearStorageKey"] =
            $"""
            WITH cleared AS (
                UPDATE orleansstorage
                SET payloadbinary = NULL, version = version + 1, modifiedon = now()
                WHERE version = @GrainStateVersion::integer AND {GrainKeyMatches}
                RETURNING version
            )
            SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion"
            """,
    };
}
