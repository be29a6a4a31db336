using Messaging.Hosting;
using Messaging.Rooms.Kinds;
using Messaging.Samples.Cursors;
using Messaging.Samples.TicTacToe;
using Messaging.Samples.WordFilter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The production silo, plus the sample room kinds: one AddRoomKind call each.
IHost? host = null;
return await HostEntryPoint.RunAsync(
    build: () =>
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddOptions<WordFilterOptions>().Bind(builder.Configuration.GetSection(WordFilterOptions.SectionName));
        builder.UseOrleans(silo => silo
            .UseMessagingCluster(builder.Configuration)
            .AddRoomKind<TicTacToeRoom>("ttt:")
            .AddRoomKind<WordFilterRoom>("filtered:")
            .AddRoomKind<StrictWordFilterRoom>("strict:")
            .AddRoomKind<CursorsRoom>("cursors:"));
        host = builder.Build();
        return host.Services;
    },
    run: () => host!.RunAsync()).ConfigureAwait(false);
