namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>Configuration of the clusters that test the HTTP API: an API key, small limits to cross, and a rate limit.</summary>
public static class ApiSettings
{
    public const string PublishKey = "publish-only-key-0123456789abcdefghijklmnop";
    public const string AdminKey = "rooms-admin-key-0123456789abcdefghijklmnopq";
    public const int MaxBodyBytes = 2048;
    public const int MaxMembers = 3;
    public const int MaxRoomsPerUser = 2;

    public static readonly IReadOnlyDictionary<string, string> Front = new Dictionary<string, string>
    {
        ["Api__MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api__MaxMetadataBytes"] = "1024",
        ["Api__PermitsPerSecond"] = "20",
        ["Api__Burst"] = "60",
        ["Api__Keys__0__Name"] = "publisher",
        ["Api__Keys__0__Key"] = PublishKey,
        ["Api__Keys__0__Scopes__0"] = "messages:publish",
        ["Api__Keys__1__Name"] = "admin-bot",
        ["Api__Keys__1__Key"] = AdminKey,
        ["Api__Keys__1__Scopes__0"] = "rooms:admin",
        ["Api__Keys__1__Scopes__1"] = "messages:read",
    };

    public static readonly IReadOnlyDictionary<string, string> Silo = new Dictionary<string, string>
    {
        ["Rooms__MaxMembers"] = MaxMembers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Users__MaxRooms"] = MaxRoomsPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
