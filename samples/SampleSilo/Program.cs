using Messaging.Hosting;
using Messaging.Rooms.Kinds;
using Messaging.Samples.Cursors;
using Messaging.Samples.TicTacToe;
using Messaging.Samples.WordFilter;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

// The production silo, plus the sample room kinds: one AddRoomKind call each.
WebApplication? app = null;
return await HostEntryPoint.RunAsync(
    build: () =>
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddOptions<WordFilterOptions>().Bind(builder.Configuration.GetSection(WordFilterOptions.SectionName));
        builder.AddMessagingSilo(silo => silo
            .AddRoomKind<TicTacToeRoom>("ttt:")
            .AddRoomKind<WordFilterRoom>("filtered:")
            .AddRoomKind<StrictWordFilterRoom>("strict:")
            .AddRoomKind<CursorsRoom>("cursors:"));
        app = builder.Build();
        app.MapMessagingSiloEndpoints();
        return app.Services;
    },
    run: () => app!.RunAsync()).ConfigureAwait(false);
