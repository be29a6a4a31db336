using System.Data.Common;
using Npgsql;

namespace Messaging.Storage;

/// <summary>
/// Connections from Npgsql's global pool for one connection string: the pool Orleans' ADO.NET
/// grain storage opens its connections from, so grain state and messages share its backends.
/// </summary>
internal sealed class SharedPoolDataSource(string connectionString) : DbDataSource
{
    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection() => new NpgsqlConnection(connectionString);
}
