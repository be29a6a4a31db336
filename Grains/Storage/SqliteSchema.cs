namespace Messaging.Storage;

/// <summary>The SQLite schema for the standalone mode: the same tables as <see cref="PostgresSchema"/>.</summary>
internal static class SqliteSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS messages (
            room   TEXT    NOT NULL,
            seq    INTEGER NOT NULL,
            sender TEXT    NOT NULL,
            cid    TEXT    NULL,
            body   TEXT    NOT NULL,
            ts     INTEGER NOT NULL,
            PRIMARY KEY (room, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS messages_room_sender_cid
            ON messages (room, sender, cid) WHERE cid IS NOT NULL;

        CREATE TABLE IF NOT EXISTS orleansquery (
            querykey  TEXT PRIMARY KEY,
            querytext TEXT NOT NULL
        );

        CREATE TABLE IF NOT EXISTS orleansstorage (
            serviceid              TEXT    NOT NULL,
            graintypestring        TEXT    NOT NULL,
            grainidn0              INTEGER NOT NULL,
            grainidn1              INTEGER NOT NULL,
            grainidextensionstring TEXT    NOT NULL,
            graintypehash          INTEGER NOT NULL,
            grainidhash            INTEGER NOT NULL,
            payloadbinary          BLOB    NULL,
            version                INTEGER NOT NULL,
            modifiedon             TEXT    NOT NULL,
            PRIMARY KEY (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
        );
        """,
        """
        CREATE TABLE IF NOT EXISTS moderation_actions (
            id     INTEGER PRIMARY KEY AUTOINCREMENT,
            room   TEXT    NOT NULL,
            at     INTEGER NOT NULL,
            actor  TEXT    NOT NULL,
            action TEXT    NOT NULL,
            target TEXT    NOT NULL,
            reason TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS moderation_actions_room_id ON moderation_actions (room, id);

        CREATE TABLE IF NOT EXISTS private_rooms (
            room       TEXT    PRIMARY KEY,
            created_at INTEGER NOT NULL
        );
        """,
        """
        CREATE INDEX IF NOT EXISTS messages_ts ON messages (ts);
        """,
    ];

    private const string GrainKeyMatches =
        """
        serviceid = @ServiceId AND graintypestring = @GrainTypeString
          AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
          AND grainidextensionstring = COALESCE(@GrainIdExtensionString, '')
        """;

    // SQLite has no data-modifying CTEs: each write is a statement followed by a SELECT that
    // reports the new version from changes(), or NULL when the expected version did not match.
    public static readonly IReadOnlyDictionary<string, string> OrleansQueries = new Dictionary<string, string>
    {
        ["ReadFromStorageKey"] =
            $"""
            SELECT payloadbinary AS PayloadBinary, version AS Version
            FROM orleansstorage
            WHERE {GrainKeyMatches};
            """,
        ["WriteToStorageKey"] =
            """
            INSERT INTO orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
                                        graintypehash, grainidhash, payloadbinary, version, modifiedon)
            VALUES (@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
                    @GrainTypeHash, @GrainIdHash, @PayloadBinary, 1, datetime('now'))
            ON CONFLICT (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring) DO UPDATE
            SET payloadbinary = excluded.payloadbinary, version = orleansstorage.version + 1, modifiedon = excluded.modifiedon
            WHERE orleansstorage.version = @GrainStateVersion;
            SELECT CASE WHEN changes() > 0 THEN COALESCE(@GrainStateVersion, 0) + 1 END AS NewGrainStateVersion;
            """,
        ["ClearStorageKey"] =
            $"""
            UPDATE orleansstorage
            SET payloadbinary = NULL, version = version + 1, modifiedon = datetime('now')
            WHERE version = @GrainStateVersion AND {GrainKeyMatches};
            SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1 END AS NewGrainStateVersion;
            """,
    };
}
