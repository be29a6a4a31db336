using System.Security.Claims;
using Messaging.WebFront.Api;
using Xunit;

namespace Messaging.UnitTests;

public sealed class ApiCallerTests
{
    [Fact]
    public void A_token_without_scope_is_a_user()
    {
        var caller = ApiCaller.From(Principal(("sub", "alice")));

        Assert.NotNull(caller);
        Assert.False(caller.IsService);
        Assert.Equal("alice", caller.Actor.Id);
        Assert.False(caller.Actor.IsService);
    }

    [Fact]
    public void A_space_separated_scope_claim_makes_a_service_with_each_scope()
    {
        var caller = ApiCaller.From(Principal(("sub", "billing"), ("scope", "rooms:admin  messages:publish")));

        Assert.NotNull(caller);
        Assert.True(caller.IsService);
        Assert.True(caller.Has("rooms:admin"));
        Assert.True(caller.Has("messages:publish"));
        Assert.False(caller.Has("messages:read"));
    }

    [Fact]
    public void Scopes_may_also_come_one_claim_each()
    {
        var caller = ApiCaller.From(Principal(("sub", "bot"), ("scope", "messages:read"), ("scope", "rooms:admin")));

        Assert.True(caller!.Has("messages:read"));
        Assert.True(caller.Has("rooms:admin"));
    }

    [Fact]
    public void An_empty_scope_claim_still_marks_a_service_with_no_scopes()
    {
        var caller = ApiCaller.From(Principal(("sub", "svc"), ("scope", "")));

        Assert.True(caller!.IsService);
        Assert.Empty(caller.Scopes);
    }

    [Fact]
    public void No_subject_is_no_caller() => Assert.Null(ApiCaller.From(Principal(("scope", "rooms:admin"))));

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
}
