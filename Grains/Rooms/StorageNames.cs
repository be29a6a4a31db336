namespace Messaging.Rooms;

/// <summary>Names of the grain storage providers the grains use.</summary>
internal static class StorageNames
{
    public const string Rooms = "rooms";

    public const string Users = "users";
}
