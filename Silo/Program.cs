using Messaging.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.UseOrleans(silo => silo.UseMessagingCluster(builder.Configuration));
    await builder.Build().RunAsync().ConfigureAwait(false);
}
catch (Exception ex) when (ex is ConfigurationException or OptionsValidationException)
{
    // A configuration mistake is the operator's to fix: say which setting, without a stack trace.
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}

return 0;
