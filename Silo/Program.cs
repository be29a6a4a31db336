using Messaging.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.UseOrleans(silo => silo.UseMessagingCluster(builder.Configuration));
    var host = builder.Build();

    // Every option is checked now, so a bad setting ends the process with one line naming it.
    host.Services.GetService<IStartupValidator>()?.Validate();
    await host.RunAsync().ConfigureAwait(false);
}
catch (Exception ex) when (ex is ConfigurationException or OptionsValidationException)
{
    // A configuration mistake is the operator's to fix: say which setting, without a stack trace.
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}

return 0;
