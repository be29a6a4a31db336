using Messaging.Hosting;
using Messaging.WebFront.Hosting;
using Microsoft.Extensions.Options;

try
{
    // appsettings.json sits beside the binary; relative data paths stay relative to the working directory.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddMessagingCluster();
    builder.AddMessagingFront();

    var app = builder.Build();
    app.MapMessagingEndpoints();

    // Every option is checked now, so a bad setting ends the process with one line naming it.
    app.Services.GetService<IStartupValidator>()?.Validate();
    await app.RunAsync().ConfigureAwait(false);
}
catch (Exception ex) when (ex is ConfigurationException or OptionsValidationException)
{
    // A configuration mistake is the operator's to fix: say which setting, without a stack trace.
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}

return 0;
