using Messaging.Hosting;
using Microsoft.AspNetCore.Builder;

WebApplication? app = null;
return await HostEntryPoint.RunAsync(
    build: () =>
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddMessagingSilo();
        app = builder.Build();
        app.MapMessagingSiloEndpoints();
        return app.Services;
    },
    run: () => app!.RunAsync()).ConfigureAwait(false);
