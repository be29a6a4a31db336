using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Api;

/// <summary>The HTTP API for backends under <c>/api</c>, its authentication, rate limit and OpenAPI document.</summary>
public static class MessagingApiExtensions
{
    /// <summary>Picks the API key scheme when <c>X-Api-Key</c> is sent, JWT bearer otherwise.</summary>
    public const string AuthenticationScheme = "Api";

    public const string PolicyName = "api";

    public static WebApplicationBuilder AddMessagingApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null)
            .AddPolicyScheme(AuthenticationScheme, displayName: null, options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme);
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(AuthenticationScheme).RequireAuthenticatedUser());

        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });

        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PolicyName, Partition);
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.RequestServices.GetRequiredService<Telemetry.FrontMetrics>().RateLimited("api");
                await ApiProblems.RateLimited().ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });

        services.AddOpenApi(ApiDocument.Configure);
        return builder;
    }

    public static WebApplication MapMessagingApi(this WebApplication app)
    {
        app.MapOpenApi();

        var api = app.MapGroup("/api")
            .RequireAuthorization(PolicyName)
            .RequireRateLimiting(PolicyName)
            .AddEndpointFilter<ApiFailureFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var rooms = api.MapGroup("/rooms").WithTags("Rooms");
        rooms.MapPost("/", RoomsApi.CreateAsync).WithName("CreateRoom")
            .WithSummary("Create a private room").WithDescription(ApiDocument.Callers("a user (who becomes its owner)", "rooms:admin"))
            .Accepts<CreateRoomRequest>("application/json").Produces<RoomResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        rooms.MapGet("/{room}", RoomsApi.GetAsync).WithName("GetRoom")
            .WithSummary("Read a room").WithDescription(ApiDocument.Callers("a member (any user, for a public room)", "rooms:admin"))
            .Produces<RoomResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        rooms.MapPatch("/{room}", RoomsApi.UpdateAsync).WithName("UpdateRoom")
            .WithSummary("Change a room's title or metadata").WithDescription(ApiDocument.Callers("the room's owners and admins", "rooms:admin"))
            .Accepts<UpdateRoomRequest>("application/json").Produces<RoomResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        rooms.MapDelete("/{room}", RoomsApi.DeleteAsync).WithName("DeleteRoom")
            .WithSummary("Delete a room and its history; members are removed at once").WithDescription(ApiDocument.Callers("the room's owners", "rooms:admin"))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        rooms.MapGet("/{room}/members", MembersApi.ListAsync).WithName("ListMembers")
            .WithSummary("List a room's members and roles").WithDescription(ApiDocument.Callers("a member", "rooms:admin"))
            .Produces<MembersResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        rooms.MapPut("/{room}/members/{user}", MembersApi.SetAsync).WithName("SetMember")
            .WithSummary("Add a member, or change its role").WithDescription(ApiDocument.Callers("owners (any role) and admins (plain members)", "rooms:admin"))
            .Accepts<SetMemberRequest>("application/json").Produces<MemberResponse>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        rooms.MapDelete("/{room}/members/{user}", MembersApi.RemoveAsync).WithName("RemoveMember")
            .WithSummary("Remove a member; its live connections leave the room at once").WithDescription(ApiDocument.Callers("owners, admins (plain members), or the member itself", "rooms:admin"))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        rooms.MapPost("/{room}/moderation", ModerationApi.ModerateAsync).WithName("Moderate")
            .WithSummary("Kick, ban, unban, mute or unmute a user").WithDescription(ApiDocument.Callers("the room's owners and admins", "rooms:admin"))
            .Accepts<ModerationRequest>("application/json").Produces<ModerationResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        rooms.MapGet("/{room}/moderation", ModerationApi.ListAsync).WithName("ListModeration")
            .WithSummary("The room's moderation log, newest first (before, limit)").WithDescription(ApiDocument.Callers("the room's owners and admins", "rooms:admin"))
            .Produces<ModerationLogResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        rooms.MapPost("/{room}/messages", MessagesApi.PublishAsync).WithName("Publish")
            .WithSummary("Store and deliver a message; Idempotency-Key makes a retry answer the same seq")
            .WithDescription(ApiDocument.Callers("a user, as itself", "messages:publish (as 'from' or 'system')"))
            .Accepts<PublishRequest>("application/json").Produces<PublishResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        rooms.MapGet("/{room}/messages", MessagesApi.HistoryAsync).WithName("History")
            .WithSummary("A page of history, ascending (before, limit), with the socket's rules").WithDescription(ApiDocument.Callers("a user who may read the room", "messages:read or rooms:admin"))
            .Produces<HistoryResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/me/unread", MeApi.UnreadAsync).WithTags("Me").WithName("Unread")
            .WithSummary("Unread messages per room the user belongs to or has read").WithDescription("Callers: users only.")
            .Produces<UnreadResponse>().ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
        var caller = ApiCaller.From(context.User);
        var key = caller is null ? "ip:" + context.Connection.RemoteIpAddress : (caller.IsService ? "service:" : "user:") + caller.Id;
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
