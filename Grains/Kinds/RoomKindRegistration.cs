namespace Messaging.Rooms.Kinds;

/// <summary>One <c>AddRoomKind</c> call: rooms named <see cref="Prefix"/>… run <see cref="Kind"/>.</summary>
public sealed record RoomKindRegistration(string Prefix, Type Kind);
