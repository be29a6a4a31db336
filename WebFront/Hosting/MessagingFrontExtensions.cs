using Messaging.WebFront.Api;
using Messaging.WebFront.Auth;
using Messaging.WebFront.Connections;
using Messaging.WebFront.Delivery;
using Messaging.WebFront.Health;
using Messaging.WebFront.Protocol;
using Messaging.WebFront.Telemetry;
using Messaging.Operations;
using Messaging.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Hosting;

/// <summary>The socket and HTTP edge: options, authentication, delivery and endpoints.</summary>
public static partial class MessagingFrontExtensions
{
    public static WebApplicationBuilder AddMessagingFront(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Request-start logs carry the URL, and a browser's token is in its query string.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        services.AddOptions<FrontHostingOptions>().Bind(configuration.GetSection(FrontHostingOptions.SectionName));
        services.AddOptions<ProtocolLimits>().Bind(configuration.GetSection(ProtocolLimits.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProtocolLimits>, ProtocolLimitsValidator>();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName)).ValidateOnStart()
            .Validate(o => o.RenewPeriod >= TimeSpan.FromMilliseconds(100), $"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.RenewPeriod)} must be at least 100 ms.")
            .Validate(o => o.UserRenewPeriod >= o.RenewPeriod, $"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.UserRenewPeriod)} must be at least {DeliveryOptions.SectionName}:{nameof(DeliveryOptions.RenewPeriod)}.")
            .Validate(o => o.GapFetchBatch is >= 1 and <= 1000, $"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.GapFetchBatch)} must be between 1 and 1000.")
            .Validate(o => o.WriteDelay >= TimeSpan.Zero && o.WriteDelay <= TimeSpan.FromMilliseconds(50), $"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.WriteDelay)} must be between 0 and 50 ms.")
            .Validate(o => o.SignalWriteDelay >= TimeSpan.Zero && o.SignalWriteDelay <= TimeSpan.FromMilliseconds(50), $"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.SignalWriteDelay)} must be between 0 and 50 ms.");
        services.AddOptions<WarmUpOptions>().Bind(configuration.GetSection(WarmUpOptions.SectionName)).ValidateOnStart()
            .Validate(o => o.Connections is >= 1 and <= 5000, $"{WarmUpOptions.SectionName}:{nameof(WarmUpOptions.Connections)} must be between 1 and 5000.")
            .Validate(o => o.Rounds is >= 1 and <= 10, $"{WarmUpOptions.SectionName}:{nameof(WarmUpOptions.Rounds)} must be between 1 and 10.")
            .Validate(o => o.Rooms is >= 1 and <= 1000, $"{WarmUpOptions.SectionName}:{nameof(WarmUpOptions.Rooms)} must be between 1 and 1000.")
            .Validate(o => o.Timeout >= TimeSpan.FromSeconds(1) && o.Timeout <= TimeSpan.FromMinutes(5), $"{WarmUpOptions.SectionName}:{nameof(WarmUpOptions.Timeout)} must be between 1 s and 5 min.");
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton<SigningKeys>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddAuthorization();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ApiProblems.Customize);

        services.AddSingleton<FrontMetrics>();
        builder.AddMessagingTelemetry("messaging-front");
        services.AddSingleton<GrainReferences>();
        services.AddSingleton<FrontDelivery>();
        services.AddSingleton<RoomSender>();
        services.AddHostedService<LeaseRenewalService>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<WriteCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionRegistry>());
        services.AddSingleton<WebSocketEndpoint>();
        services.AddSingleton<SocketTokenValidator>();
        services.AddSingleton<FrontWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<FrontWarmUp>());

        // Plain socket upgrades are answered on the connection, before Kestrel's HTTP layer; the
        // rest (and every refusal) falls through to the pipeline below (see SocketHandshakeMiddleware).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
            ActivatorUtilities.CreateInstance<SocketHandshakeMiddleware>(listen.ApplicationServices, next).OnConnectionAsync)));
        builder.AddMessagingApi();
        return builder;
    }

    public static WebApplication MapMessagingEndpoints(this WebApplication app)
    {
        var hosting = app.Services.GetRequiredService<IOptions<FrontHostingOptions>>().Value;
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var devTokens = auth.DevTokens ?? hosting.Mode == HostingMode.Standalone;

        app.UseExceptionHandler();

        // Statuses the framework answers without a body (415 from content-type matching, 404, 405) get problem details too.
        app.UseStatusCodePages();

        // The demo app at / and the JavaScript client it uses, as plain files.
        app.UseDefaultFiles();
        app.UseStaticFiles();

        // Socket upgrades get a stream the connection writes its pre-built frames to, beside the WebSocket.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/ws"), branch => branch.Use((context, next) =>
        {
            if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
            {
                context.Features.Set<IHttpUpgradeFeature>(new SharedWriteUpgradeFeature(upgrade));
            }

            return next(context);
        }));
        app.UseWebSockets();

        // Cross-site handshakes are refused before the token is even looked at.
        var origins = app.Services.GetRequiredService<OriginPolicy>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/ws"), branch => branch.Use(async (context, next) =>
        {
            if (!origins.IsAllowed(context.Request))
            {
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed",
                    detail: "This origin may not open a socket here.").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        }));

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.Map("/ws", (HttpContext context, WebSocketEndpoint endpoint) => endpoint.HandleAsync(context)).RequireAuthorization();
        app.MapGet("/healthz", HealthEndpoints.Live);
        app.MapGet("/readyz", HealthEndpoints.ReadyAsync);
        app.MapMessagingMetrics();
        app.MapMessagingDashboard();
        app.MapMessagingApi();
        if (devTokens)
        {
            app.MapPost("/dev/token", DevTokenEndpoint.Issue);
        }

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app, hosting, devTokens));
        return app;
    }

    private static void LogStarted(WebApplication app, FrontHostingOptions hosting, bool devTokens)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Messaging.WebFront");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = addresses?.FirstOrDefault() ?? "http://localhost:5000";
        var socketUrl = url.Replace("http", "ws", StringComparison.Ordinal) + "/ws";
        LogListening(logger, hosting.Mode, url, socketUrl);
        if (devTokens)
        {
            LogDevTokens(logger, url);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Messaging front ({Mode}) listening on {Url}; sockets at {SocketUrl}.")]
    private static partial void LogListening(ILogger logger, HostingMode mode, string url, string socketUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Get a token: curl -s -X POST {Url}/dev/token -H 'Content-Type: application/json' -d '{{\"user\":\"alice\"}}'  then connect to /ws?access_token=<token>.")]
    private static partial void LogDevTokens(ILogger logger, string url);
}
