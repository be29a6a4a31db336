using System.Data.Common;
using Messaging.Rooms;
using Messaging.Rooms.Kinds;
using Messaging.Storage;
using Messaging.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Messaging.Hosting;

/// <summary>Adds the messaging grains and their storage to a silo; used alike by Silo, WebFront (standalone) and tests.</summary>
public static class MessagingSiloBuilderExtensions
{
    /// <summary>
    /// Adds room grains, the message store and its migrations, and Orleans' ADO.NET grain
    /// storage on the same database. <paramref name="configureStorage"/> picks the database.
    /// </summary>
    public static ISiloBuilder AddMessagingGrains(this ISiloBuilder builder, IConfiguration configuration, Action<MessagingStorageOptions> configureStorage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = builder.Services;

        services.AddOptions<MessagingStorageOptions>().Configure(configureStorage).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MessagingStorageOptions>, MessagingStorageOptionsValidator>();
        services.AddOptions<RoomOptions>().Bind(configuration.GetSection(RoomOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoomOptions>, RoomOptionsValidator>();
        services.AddOptions<UserOptions>().Bind(configuration.GetSection(UserOptions.SectionName)).ValidateOnStart()
            .Validate(o => o.MaxRooms is >= 1 and <= 100_000, $"{UserOptions.SectionName}:{nameof(UserOptions.MaxRooms)} must be between 1 and 100000.");
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp => StorageDialect.For(sp.GetRequiredService<IOptions<MessagingStorageOptions>>().Value.Provider));
        services.AddSingleton<DbDataSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MessagingStorageOptions>>().Value;
            var dialect = sp.GetRequiredService<StorageDialect>();
            return dialect.CreateDataSource(dialect.ConnectionStringFor(options.ConnectionString));
        });
        services.AddSingleton<Telemetry.StorageMetrics>();
        services.AddSingleton<IMessageStore, SqlMessageStore>();
        services.AddSingleton<IRoomRecords, SqlRoomRecords>();
        services.AddSingleton<RoomKindRegistry>();
        services.AddOptions<RoomKindOptions>().Bind(configuration.GetSection(RoomKindOptions.SectionName)).ValidateOnStart()
            .Validate(o => o.HookTimeout > TimeSpan.Zero && o.HookTimeout <= TimeSpan.FromSeconds(30), $"{RoomKindOptions.SectionName}:{nameof(RoomKindOptions.HookTimeout)} must be between 0 and 30 seconds.");
        services.AddSingleton<CommitBatcher>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddHostedService<RetentionService>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SchemaMigrator>());

        builder.AddRoomEventStreams(configuration);

        // PubSubStore keeps stream subscriptions, so a subscriber survives silo restarts.
        foreach (var name in new[] { StorageNames.Rooms, StorageNames.Users, "PubSubStore" })
        {
            builder.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
                options.Configure<IOptions<MessagingStorageOptions>, StorageDialect>((adoNet, storage, dialect) =>
                {
                    adoNet.Invariant = dialect.OrleansInvariant;
                    adoNet.ConnectionString = dialect.ConnectionStringFor(storage.Value.ConnectionString);
                }));
        }

        return builder;
    }
}
