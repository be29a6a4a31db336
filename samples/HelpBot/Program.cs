using Messaging.Events;
using Messaging.Samples.HelpBot;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

var builder = Host.CreateApplicationBuilder(args);
var redis = builder.Configuration.GetConnectionString("Redis")
    ?? throw new InvalidOperationException("ConnectionStrings:Redis is required: the Redis that holds cluster membership.");
builder.Services.AddOptions<HelpBotOptions>().Bind(builder.Configuration.GetSection(HelpBotOptions.SectionName));
builder.UseOrleansClient(client => client
    .UseRedisClustering(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis))
    .Configure<ClusterOptions>(options =>
    {
        options.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "messaging";
        options.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "messaging";
    })
    // Only to subscribe: any persistent stream provider of this name does, since the silos pull
    // the queues and send each subscriber its events. The bot never publishes on it.
    .AddMemoryStreams(RoomEvents.ProviderName));
builder.Services.AddHostedService<HelpBotService>();
await builder.Build().RunAsync().ConfigureAwait(false);
