using Messaging.Hosting;
using Messaging.WebFront.Hosting;

WebApplication? app = null;
return await HostEntryPoint.RunAsync(
    build: () =>
    {
        // appsettings.json sits beside the binary; relative data paths stay relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddMessagingCluster();
        builder.AddMessagingFront();
        app = builder.Build();
        app.MapMessagingEndpoints();
        return app.Services;
    },
    run: () => app!.RunAsync()).ConfigureAwait(false);
