using Messaging.Hosting;
using Microsoft.Extensions.Hosting;

IHost? host = null;
return await HostEntryPoint.RunAsync(
    build: () =>
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.UseOrleans(silo => silo.UseMessagingCluster(builder.Configuration));
        host = builder.Build();
        return host.Services;
    },
    run: () => host!.RunAsync()).ConfigureAwait(false);
